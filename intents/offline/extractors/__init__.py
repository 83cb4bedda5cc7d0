"""Values in a message: typed values with their spans (codes, emails, money, counts, dates), enum
choices, short names and people, tied to a request type's fields; answers and corrections inside
an open draft; suggestions a first message implies."""
