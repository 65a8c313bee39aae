"""parser.maps: plans counted per province and city (the drawing runs in the notebook tests)."""
from __future__ import annotations

import pandas as pd

from parser import maps
from parser.tables.frames import PLAN_COLUMNS


def _plans() -> pd.DataFrame:
    rows = [("陕西省", "宝鸡市"), ("陕西省", "宝鸡市"), ("陕西省", "汉中市"), ("湖南省", "湘潭市"), (None, None),
            ("内蒙古自治区", None)]
    return pd.DataFrame([{"plan_id": f"p{i}", "province": p, "city": c} for i, (p, c) in enumerate(rows)],
                        columns=list(PLAN_COLUMNS)).astype(PLAN_COLUMNS)


def test_plans_per_province_and_per_city_of_a_province_leave_unplaced_plans_out():
    plans = _plans()
    assert maps.plans_per(plans).to_dict() == {"陕西省": 3, "湖南省": 1, "内蒙古自治区": 1}
    assert maps.plans_per(plans, "city", "陕西省").to_dict() == {"宝鸡市": 2, "汉中市": 1}


def test_only_provinces_with_enough_plans_of_known_city_get_a_city_map():
    assert maps.provinces_with_cities(_plans(), min_plans=2) == ["陕西省"]
    assert maps.provinces_with_cities(_plans(), min_plans=1) == ["湖南省", "陕西省"]


def test_the_boundaries_are_installed_and_name_provinces_as_the_plans_table_does():
    assert maps.available()
    names = set(maps.boundaries("city", "陕西省")["city"])
    assert {"宝鸡市", "汉中市"} <= names
