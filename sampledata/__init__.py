"""Sample data: the demo organisation, its users and directives with their history.

Nothing in the product imports this package; ``python manage.py seed_demo`` and the tests
use it. The seed documents (``seed_documents/``) are real directives: the demo imports
them through the product's own importer, and the parser's tests read them too.

The demo builds the organisation as it stood before 2025, loads the documents, and then
applies the 2025 reorganisation through the restructuring services
(``sampledata.reorganisation``): the boards merged on 01/03/2025 (an illustrative day),
district-level committees closed on 30/06/2025 with their communes moved up, and Hải
Dương, Phú Yên, Kiên Giang and Kon Tum merged into Hải Phòng, Đắk Lắk, An Giang and Quảng
Ngãi from 01/07/2025. The commune and ward names are the older ones and illustrative. The
progress history covers the two years up to the day the demo is loaded.
"""
