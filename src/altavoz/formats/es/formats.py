# Spanish as written in Miami: dates in Spanish words ("12 de junio de 2027"), numbers and
# times the US way, as the campaign texts write them ("$150,000", "73.9%", "7:30 p.m."):
# Django's own Spanish formats write "1 000" and "1000,5", which Miami readers do not.
# Keys left out here are Django's (django/conf/locale/es/formats.py).
DATE_FORMAT = r"j \d\e F \d\e Y"
TIME_FORMAT = "g:i a"
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a"
YEAR_MONTH_FORMAT = r"F \d\e Y"
MONTH_DAY_FORMAT = r"j \d\e F"
FIRST_DAY_OF_WEEK = 0  # Sunday, as US calendars start
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
