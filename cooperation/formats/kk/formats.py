# Kazakh, which Django has no formats for: "2024 жылғы 19 қараша", "2024 жылғы қараша"; numbers
# as in Kazakhstan's standard: 1 234 567,8 (a non-breaking space between thousands).
# Cyrillic letters are not format characters, so "жылғы" stands as it is.
DATE_FORMAT = "Y жылғы j F"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "Y жылғы j F, H:i"
YEAR_MONTH_FORMAT = "Y жылғы F"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\xa0"  # non-breaking space
NUMBER_GROUPING = 3
