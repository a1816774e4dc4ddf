"""known_people: the public figures the speaker resolver knows by role and date

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 22:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'known_people',
        sa.Column('id', sa.String(length=40), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('aliases', sa.JSON(), nullable=False),
        sa.Column('female', sa.Boolean(), nullable=True),
        sa.Column('by_surname', sa.Boolean(), nullable=False),
        sa.Column('roles', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('known_people')
