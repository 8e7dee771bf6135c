//! The official units shipped in the binary: both trees, the successions between them, a second
//! import that changes nothing, a selection of provinces, and an open unit in the way.

use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use diesel::prelude::*;
use hoagiai::db::schema::{audit_log, unit_successions, units};
use hoagiai::units::official::{self, Filter, Report};
use serde_json::Value;

use crate::common::{Client, TestApp};

on_both_backends!(whole_country, selected_provinces, an_open_unit_in_the_way_is_reported);

/// The whole country must import in seconds, in a test too (a debug build): about 14,000 units
/// and 10,600 successions in multi-row inserts. Far above what it takes, far below one round trip
/// per row on a slow disk.
const WHOLE_COUNTRY_AT_MOST: Duration = Duration::from_secs(20);

async fn import(app: &TestApp, filter: Filter) -> Report {
    app.db.write(move |c| official::import(c, &filter)).await.expect("official import")
}

/// The one unit of a level and code that existed on a day.
async fn unit_on(admin: &Client, level: &str, code: &str, day: &str) -> Value {
    let res = admin.get(&format!("/api/v1/units?level={level}&code={code}&valid_on={day}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let items = res.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{level} {code} on {day}: {}", res.body);
    items[0].clone()
}

async fn count_on(admin: &Client, level: &str, day: &str) -> usize {
    let res = admin.get(&format!("/api/v1/units?level={level}&valid_on={day}&limit=100")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.body["items"].as_array().unwrap().len()
}

/// Units of a level valid on a day, counted in the database (the API pages by 100).
async fn count_in_db(app: &TestApp, level: &'static str, day: &'static str) -> i64 {
    let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    app.db
        .run(move |c| {
            Ok(units::table
                .filter(units::level.eq(level))
                .filter(units::valid_from.le(day))
                .filter(units::valid_to.is_null().or(units::valid_to.gt(day)))
                .count()
                .get_result::<i64>(c)?)
        })
        .await
        .unwrap()
}

/// The successions of a unit: (other unit's id, kind), on the side asked for.
async fn successions(admin: &Client, id: &str, side: &str) -> Vec<(String, String)> {
    let res = admin.get(&format!("/api/v1/units/{id}/successions")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let (mine, other) = if side == "to" { ("from_unit_id", "to_unit_id") } else { ("to_unit_id", "from_unit_id") };
    res.body
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s[mine] == id)
        .map(|s| {
            assert_eq!(s["effective_date"], "2025-07-01");
            (s[other].as_str().unwrap().to_string(), s["kind"].as_str().unwrap().to_string())
        })
        .collect()
}

fn id(unit: &Value) -> String {
    unit["id"].as_str().unwrap().to_string()
}

async fn whole_country(app: TestApp) {
    let started = Instant::now();
    let report = import(&app, Filter::all()).await;
    let took = started.elapsed();
    eprintln!("whole country imported in {:.2} s", took.as_secs_f64());
    assert!(took < WHOLE_COUNTRY_AT_MOST, "the whole country took {took:?}");
    // 63 + 696 + 10,035 before the reform; the 23 new provinces and 3,321 communes after it
    // (the 11 provinces the reform left alone are one unit in both trees).
    assert_eq!(
        report,
        Report { units_created: 14_138, units_present: 0, successions_created: 10_654, successions_present: 0, successions_skipped: 0 }
    );
    let admin = app.admin().await;

    // Today: 34 provinces, 3,321 communes, no district.
    assert_eq!(count_on(&admin, "province", "2026-01-01").await, 34);
    assert_eq!(count_on(&admin, "district", "2026-01-01").await, 0);
    assert_eq!(count_in_db(&app, "commune", "2025-07-01").await, 3_321);
    assert_eq!(count_in_db(&app, "province", "2025-07-01").await, 34);
    // The last day before: 63 provinces, 696 districts, 10,035 communes.
    assert_eq!(count_in_db(&app, "province", "2025-06-30").await, 63);
    assert_eq!(count_in_db(&app, "district", "2025-06-30").await, 696);
    assert_eq!(count_in_db(&app, "commune", "2025-06-30").await, 10_035);

    // Huyện Thanh Miện exists until 30 June 2025 (valid_to is the first day it no longer does).
    let thanh_mien = unit_on(&admin, "district", "300", "2025-06-30").await;
    assert_eq!(thanh_mien["name"], "Huyện Thanh Miện");
    assert_eq!(thanh_mien["valid_to"], "2025-07-01");
    assert_eq!(thanh_mien["valid_from"], "1997-01-01");
    let res = admin.get("/api/v1/units?level=district&code=300&valid_on=2025-07-01").await;
    assert_eq!(res.body["items"].as_array().unwrap().len(), 0);

    // Codes are reused: 11257 was Xã Tân Trào (of Thanh Miện) and is Xã Hải Hưng (of Hải Phòng).
    let tan_trao = unit_on(&admin, "commune", "11257", "2025-06-30").await;
    let hai_hung = unit_on(&admin, "commune", "11257", "2025-07-01").await;
    assert_eq!(tan_trao["name"], "Xã Tân Trào");
    assert_eq!(tan_trao["parent_id"], thanh_mien["id"]);
    assert_eq!(hai_hung["name"], "Xã Hải Hưng");
    assert_eq!(hai_hung["valid_from"], "2025-07-01");
    assert_eq!(hai_hung["valid_to"], Value::Null);
    let hai_phong = unit_on(&admin, "province", "31", "2025-07-01").await;
    assert_eq!(hai_phong["name"], "Thành phố Hải Phòng");
    assert_eq!(hai_hung["parent_id"], hai_phong["id"]);
    assert_eq!(hai_hung["depth"], 1);

    // Đoàn Kết, Ngô Quyền and Tân Trào all became Hải Hưng, whole: merges.
    let doan_ket = unit_on(&admin, "commune", "11263", "2025-06-30").await;
    assert_eq!(doan_ket["name"], "Xã Đoàn Kết");
    assert_eq!(successions(&admin, &id(&doan_ket), "to").await, vec![(id(&hai_hung), "merge".to_string())]);
    let mut into_hai_hung = successions(&admin, &id(&hai_hung), "from").await;
    into_hai_hung.sort();
    let ngo_quyen = unit_on(&admin, "commune", "11248", "2025-06-30").await;
    let mut expected: Vec<(String, String)> = [&ngo_quyen, &tan_trao, &doan_ket].iter().map(|u| (id(u), "merge".to_string())).collect();
    expected.sort();
    assert_eq!(into_hai_hung, expected);

    // Provinces: Hải Dương and the old Hải Phòng both merged into the new Hải Phòng, which is a
    // unit of its own (its territory changed); Hà Nội, which the reform left alone, is one unit.
    let hai_duong = unit_on(&admin, "province", "30", "2025-06-30").await;
    let old_hai_phong = unit_on(&admin, "province", "31", "2025-06-30").await;
    assert_ne!(old_hai_phong["id"], hai_phong["id"]);
    assert_eq!(old_hai_phong["valid_to"], "2025-07-01");
    assert_eq!(hai_duong["valid_to"], "2025-07-01");
    let mut into_hai_phong = successions(&admin, &id(&hai_phong), "from").await;
    into_hai_phong.sort();
    let mut expected = vec![(id(&hai_duong), "merge".to_string()), (id(&old_hai_phong), "merge".to_string())];
    expected.sort();
    assert_eq!(into_hai_phong, expected);
    let ha_noi = unit_on(&admin, "province", "01", "2025-06-30").await;
    assert_eq!(unit_on(&admin, "province", "01", "2025-07-01").await["id"], ha_noi["id"]);
    assert_eq!(ha_noi["valid_to"], Value::Null);
    assert!(successions(&admin, &id(&ha_noi), "to").await.is_empty());

    // A commune divided between several: Phường Cống Vị (Ba Đình, Hà Nội) went partly to Phường
    // Ngọc Hà and partly to Phường Giảng Võ. Both are `split`, never one guessed successor.
    let cong_vi = unit_on(&admin, "commune", "00007", "2025-06-30").await;
    assert_eq!(cong_vi["name"], "Phường Cống Vị");
    let mut parts = successions(&admin, &id(&cong_vi), "to").await;
    parts.sort();
    let ngoc_ha = unit_on(&admin, "commune", "00008", "2025-07-01").await;
    let giang_vo = unit_on(&admin, "commune", "00025", "2025-07-01").await;
    assert_eq!((ngoc_ha["name"].as_str(), giang_vo["name"].as_str()), (Some("Phường Ngọc Hà"), Some("Phường Giảng Võ")));
    let mut expected = vec![(id(&ngoc_ha), "split".to_string()), (id(&giang_vo), "split".to_string())];
    expected.sort();
    assert_eq!(parts, expected);
    // Where the two sources disagree on a code, the statistics office's current one is shipped.
    assert_eq!(unit_on(&admin, "commune", "00082", "2025-07-01").await["name"], "Phường Cửa Nam");
    // An island district without communes became a special zone (đặc khu).
    let bach_long_vi = unit_on(&admin, "commune", "11948", "2025-07-01").await;
    assert_eq!(bach_long_vi["name"], "Đặc khu Bạch Long Vĩ");
    let district = unit_on(&admin, "district", "318", "2025-06-30").await;
    assert_eq!(successions(&admin, &id(&district), "to").await, vec![(id(&bach_long_vi), "rename".to_string())]);

    // Search finds the official names without diacritics.
    let res = admin.get("/api/v1/units?q=hai%20hung&level=commune&valid_on=2025-07-01").await;
    let names: Vec<&str> = res.body["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"Xã Hải Hưng"), "{names:?}");

    // Again: everything is there already, nothing is written, not even an audit row.
    let audit_before: i64 = app.db.run(|c| Ok(audit_log::table.count().get_result(c)?)).await.unwrap();
    let again = import(&app, Filter::all()).await;
    assert_eq!(
        again,
        Report { units_created: 0, units_present: 14_138, successions_created: 0, successions_present: 10_654, successions_skipped: 0 }
    );
    let (unit_rows, succession_rows, audit_after): (i64, i64, i64) = app
        .db
        .run(|c| {
            Ok((
                units::table.count().get_result(c)?,
                unit_successions::table.count().get_result(c)?,
                audit_log::table.count().get_result(c)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!((unit_rows, succession_rows), (14_138, 10_654));
    assert_eq!(audit_after, audit_before);
}

/// The demo's selection: Hải Dương (30) and Hải Phòng (31), before and after the reform. Then the
/// whole country on top of it adds the rest and duplicates nothing.
async fn selected_provinces(app: TestApp) {
    let report = import(&app, Filter::provinces(&["30", "31"])).await;
    let admin = app.admin().await;
    assert_eq!(count_on(&admin, "province", "2025-06-30").await, 2);
    assert_eq!(count_on(&admin, "province", "2025-07-01").await, 1);
    let districts_before = count_on(&admin, "district", "2025-06-30").await;
    assert!(districts_before > 20, "Hải Dương's and Hải Phòng's districts: {districts_before}");
    let communes_after = count_in_db(&app, "commune", "2025-07-01").await;
    assert_eq!(communes_after, 114, "the communes of the new Hải Phòng");
    assert_eq!(
        report.units_created as i64,
        count_in_db(&app, "province", "2025-06-30").await
            + 1
            + districts_before as i64
            + count_in_db(&app, "commune", "2025-06-30").await
            + communes_after
    );
    assert_eq!(report.successions_skipped, 0, "Hải Dương and Hải Phòng went to Hải Phòng only");
    let doan_ket = unit_on(&admin, "commune", "11263", "2025-06-30").await;
    let hai_hung = unit_on(&admin, "commune", "11257", "2025-07-01").await;
    assert_eq!(successions(&admin, &id(&doan_ket), "to").await, vec![(id(&hai_hung), "merge".to_string())]);
    // Nothing of another province.
    let res = admin.get("/api/v1/units?level=province&code=01").await;
    assert_eq!(res.body["items"].as_array().unwrap().len(), 0);

    let again = import(&app, Filter::provinces(&["31", "30"])).await;
    assert_eq!((again.units_created, again.successions_created), (0, 0));
    assert_eq!((again.units_present, again.successions_present), (report.units_created, report.successions_created));

    let all = import(&app, Filter::all()).await;
    assert_eq!(all.units_present, report.units_created);
    assert_eq!(all.units_created + all.units_present, 14_138);
    assert_eq!(all.successions_present, report.successions_created);
    assert_eq!(all.successions_created + all.successions_present, 10_654);
    assert_eq!(count_on(&admin, "province", "2025-07-01").await, 34);
}

/// A unit made by hand before the official import (here the test tree's Hải Dương, open since
/// 1997) where the official list closes it on the reform day: the import says which unit is in the
/// way and writes nothing, rather than guess whether it is the same place.
async fn an_open_unit_in_the_way_is_reported(app: TestApp) {
    let tree = app.tree().await;
    let err = app.db.write(|c| official::import(c, &Filter::provinces(&["30", "31"]))).await.unwrap_err();
    assert_eq!(err.code, "unit_code_taken");
    let detail = err.detail.map(|d| d.en).unwrap_or_default();
    assert!(detail.contains("Tỉnh Hải Dương (code 30)"), "{detail}");
    let res = tree.admin.get("/api/v1/units?level=commune&valid_on=2025-07-01").await;
    let names: Vec<&str> = res.body["items"].as_array().unwrap().iter().map(|u| u["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Xã Đoàn Kết", "Xã Hồng Quang"], "nothing imported");
    // Once it and its district are closed on the reform day, they are the official old Hải Dương
    // and Thanh Miện, and the rest is imported under them. (The test tree's communes keep their
    // made-up codes, which no official unit has: nothing else is in the way.)
    for unit in [&tree.province, &tree.district] {
        let path = format!("/api/v1/units/{unit}");
        let current = tree.admin.get(&path).await;
        let res = tree.admin.patch(&path, &current.etag(), &serde_json::json!({"valid_to": "2025-07-01"})).await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    }
    let report = import(&app, Filter::provinces(&["30", "31"])).await;
    assert_eq!(report.units_present, 2, "the corrected Hải Dương and Thanh Miện");
    let doan_ket = unit_on(&tree.admin, "commune", "11263", "2025-06-30").await;
    assert_eq!(doan_ket["parent_id"], tree.district.as_str());
    let res = tree.admin.get(&format!("/api/v1/units?parent_id={}&level=district&valid_on=2025-06-30", tree.province)).await;
    assert_eq!(res.body["items"].as_array().unwrap().len(), 12, "Hải Dương's districts, under the existing province");
}
