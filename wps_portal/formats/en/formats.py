# Day month year, as the source documents write dates ("15 June 2010").
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
