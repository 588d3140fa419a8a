# Haitian Creole as written in Miami: dates in Creole words ("12 jen 2027"), numbers and
# times the US way, as the campaign texts write them ("$150,000", "73.9%", "7:30 p.m.").
# Django has no Haitian Creole: the month names and "a.m."/"p.m." are in our catalogue
# (altavoz/formats/__init__.py).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, g:i a"
TIME_FORMAT = "g:i a"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y g:i a"
FIRST_DAY_OF_WEEK = 0  # Sunday
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
