"""Sample data: the demo organisation, its users and directives with their history.

Nothing in the product imports this package; ``python manage.py seed_demo`` and the tests
use it. The seed documents (``seed_documents/``) are real directives: the demo imports
them through the product's own importer, and the parser's tests read them too.
"""
