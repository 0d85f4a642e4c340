"""`esia-e2e init`: a portal profile written from what the suite already knows.

The suite makes the people, so it knows every value a cabinet must show and can make every
situation happen; discovery logs people in through the portal and reads where the portal shows
what (docs/init.md). Each module does one part: the login entry, the protocol facts the mock
saw, the values on the cabinet and their locators, the situations and their pages, the writer.
"""
