import datetime as dt

from csto_editor.core.dates import dateline, long_date


def test_dates_are_written_out_per_language() -> None:
    day = dt.date(2019, 5, 22)
    assert long_date(day, "en") == "22 May 2019"
    assert long_date(day, "ru") == "22 мая 2019 года"
    assert dateline(day, "Bishkek", "en") == "Bishkek, 22 May 2019"
    assert dateline(day, "Бишкек", "ru") == "Бишкек, 22 мая 2019 года"
    assert dateline(None, "Minsk", "en") == "Minsk"
    assert dateline(day, "  ", "en") == "22 May 2019"
