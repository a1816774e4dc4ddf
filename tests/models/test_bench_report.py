"""The arithmetic of `make bench`'s pipeline report (the timed run itself is not a test)."""
from bench.pipeline import ceiling, where_time_goes


def test_where_time_goes_reports_shares_and_the_labelling_overhead():
    lines = where_time_goes({"tagger": 2.0, "speakers": 2.0, "topics": 1.0, "stance": 1.0},
                            {"tagger": "quotes", "speakers": "speakers", "topics": "topics",
                             "stance": "stance"})
    assert any("tagger" in line and "33.3%" in line for line in lines)
    assert lines[-1].strip() == "topics + stance add 50% to the time of the other stages"


def test_ceiling_is_parse_over_parse_plus_extraction():
    [line] = ceiling(10.0, {"tagger": 5.0, "topics": 9.0}, "tagger")
    assert "0.50x the parse-only time" in line and "at most 0.67x" in line
    assert ceiling(10.0, {}, "tagger") == []
