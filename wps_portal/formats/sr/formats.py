# A month alone takes no closing dot ("јун 2010"); a full date keeps it ("15. јун 2010.").
DATE_FORMAT = "j. F Y."
YEAR_MONTH_FORMAT = "F Y"
