"""quotes: when a reported statement was made

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 23:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('quotes') as batch_op:
        batch_op.add_column(sa.Column('reported_earlier', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('said_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('quotes') as batch_op:
        batch_op.drop_column('said_on')
        batch_op.drop_column('reported_earlier')
