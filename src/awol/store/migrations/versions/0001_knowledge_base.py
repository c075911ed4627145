"""knowledge base

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 01:44:34.905693
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.Text(), nullable=True),
    sa.Column('format', sa.String(length=16), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('outlet', sa.String(length=200), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('size_bytes', sa.BigInteger(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('ingested_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('sha256', name=op.f('uq_documents_sha256'))
    )
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documents_language'), ['language'], unique=False)
        batch_op.create_index(batch_op.f('ix_documents_published'), ['published'], unique=False)

    op.create_table('outlets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('country', sa.String(length=8), nullable=True),
    sa.Column('reliability', sa.String(length=1), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outlets')),
    sa.UniqueConstraint('name', name=op.f('uq_outlets_name'))
    )
    op.create_table('units',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('name_ru', sa.String(length=300), nullable=True),
    sa.Column('type', sa.String(length=40), nullable=True),
    sa.Column('echelon', sa.String(length=40), nullable=True),
    sa.Column('parent_id', sa.String(length=64), nullable=True),
    sa.Column('military_unit_number', sa.String(length=16), nullable=True),
    sa.Column('garrison', sa.String(length=300), nullable=True),
    sa.Column('district_or_army', sa.String(length=300), nullable=True),
    sa.Column('source_url', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['units.id'], name=op.f('fk_units_parent_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units'))
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_military_unit_number'), ['military_unit_number'], unique=False)
        batch_op.create_index(batch_op.f('ix_units_parent_id'), ['parent_id'], unique=False)

    op.create_table('cited_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_cited_sources_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cited_sources')),
    sa.UniqueConstraint('document_id', 'name', name=op.f('uq_cited_sources_document_id'))
    )
    with op.batch_alter_table('cited_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cited_sources_document_id'), ['document_id'], unique=False)

    op.create_table('figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=32), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.Column('qualifier', sa.String(length=16), nullable=False),
    sa.Column('measure', sa.String(length=32), nullable=False),
    sa.Column('army', sa.String(length=8), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=True),
    sa.Column('unit_mention', sa.Text(), nullable=True),
    sa.Column('subunit', sa.Boolean(), nullable=False),
    sa.Column('period_start', sa.String(length=10), nullable=True),
    sa.Column('period_end', sa.String(length=10), nullable=True),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_figures_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_figures_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figures'))
    )
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_figures_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_figures_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_figures_unit_category', ['unit_id', 'category'], unique=False)
        batch_op.create_index(batch_op.f('ix_figures_unit_id'), ['unit_id'], unique=False)

    op.create_table('person_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_person_mentions_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_mentions'))
    )
    with op.batch_alter_table('person_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_mentions_document_id'), ['document_id'], unique=False)

    op.create_table('unit_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('alias', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_aliases_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_aliases')),
    sa.UniqueConstraint('unit_id', 'alias', name=op.f('uq_unit_aliases_unit_id'))
    )
    with op.batch_alter_table('unit_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_aliases_unit_id'), ['unit_id'], unique=False)

    op.create_table('unit_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('mention', sa.Text(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_unit_mentions_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_mentions_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit_mentions'))
    )
    with op.batch_alter_table('unit_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_mentions_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_unit_mentions_unit_id'), ['unit_id'], unique=False)

    op.create_table('verdicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('date', sa.String(length=10), nullable=False),
    sa.Column('court', sa.String(length=300), nullable=False),
    sa.Column('region', sa.String(length=200), nullable=True),
    sa.Column('article', sa.String(length=8), nullable=False),
    sa.Column('part', sa.String(length=8), nullable=True),
    sa.Column('sentence', sa.Text(), nullable=True),
    sa.Column('unit_as_written', sa.String(length=300), nullable=True),
    sa.Column('unit_id', sa.String(length=64), nullable=True),
    sa.Column('source_file', sa.Text(), nullable=False),
    sa.Column('source_sha256', sa.String(length=64), nullable=False),
    sa.Column('source_row', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_verdicts_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_verdicts')),
    sa.UniqueConstraint('source_sha256', 'source_row', name=op.f('uq_verdicts_source_sha256'))
    )
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_verdicts_article'), ['article'], unique=False)
        batch_op.create_index(batch_op.f('ix_verdicts_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_verdicts_unit_id'), ['unit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('verdicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verdicts_unit_id'))
        batch_op.drop_index(batch_op.f('ix_verdicts_date'))
        batch_op.drop_index(batch_op.f('ix_verdicts_article'))

    op.drop_table('verdicts')
    with op.batch_alter_table('unit_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_mentions_unit_id'))
        batch_op.drop_index(batch_op.f('ix_unit_mentions_document_id'))

    op.drop_table('unit_mentions')
    with op.batch_alter_table('unit_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_aliases_unit_id'))

    op.drop_table('unit_aliases')
    with op.batch_alter_table('person_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_mentions_document_id'))

    op.drop_table('person_mentions')
    with op.batch_alter_table('figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_figures_unit_id'))
        batch_op.drop_index('ix_figures_unit_category')
        batch_op.drop_index(batch_op.f('ix_figures_document_id'))
        batch_op.drop_index(batch_op.f('ix_figures_category'))

    op.drop_table('figures')
    with op.batch_alter_table('cited_sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cited_sources_document_id'))

    op.drop_table('cited_sources')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_parent_id'))
        batch_op.drop_index(batch_op.f('ix_units_military_unit_number'))

    op.drop_table('units')
    op.drop_table('outlets')
    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_published'))
        batch_op.drop_index(batch_op.f('ix_documents_language'))

    op.drop_table('documents')
