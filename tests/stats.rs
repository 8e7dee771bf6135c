//! Statistics: indicators from the counters equal what the cases say, in every breakdown; ETag
//! and 304; CSV; no personal data; scope; incremental pulls; the consistency check.

use actix_web::http::StatusCode;
use hoagiai::auth::Role;
use hoagiai::stats::dto::{BreakdownBy, IndicatorQuery};
use serde_json::{json, Value};

use crate::cases::{create, new_case, world, World};
use crate::common::{Client, TestApp};

on_both_backends!(
    received_is_successful_unsuccessful_and_in_progress_everywhere,
    indicators_from_a_known_data_set,
    conditional_and_csv_answers,
    machine_clients_pull_facts_incrementally,
    counters_survive_random_case_writes,
    merged_communes_and_boundaries,
    todays_areas_walk_every_generation_at_once,
    a_write_is_seen_at_once_despite_the_answer_cache,
    roster_rollups_survive_random_roster_writes,
    rollups_are_filled_when_their_migrations_arrive,
    small_cells_are_suppressed_for_statistics_clients,
    statistics_clients_get_the_month_of_case_facts,
    indicators_as_a_dhis2_data_value_set
);

/// A period as DHIS2 writes it (its Web API's period formats): `yyyy`, `yyyySn` (six-monthly from
/// January), `yyyyQn`, `yyyyMM`.
fn dhis2_period(p: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if p.len() < 4 || !digits(&p[..4]) {
        return false;
    }
    match &p[4..] {
        "" => true,
        "S1" | "S2" | "Q1" | "Q2" | "Q3" | "Q4" => true,
        m => m.len() == 2 && digits(m) && (1..=12).contains(&m.parse::<u32>().unwrap()),
    }
}

/// Checks a data value set against DHIS2's rules for an import by code: every value names a data
/// element, a period and an organisation unit, and holds its value as a string; no value is given
/// twice. Answers the values by (data element, organisation unit).
fn dhis2_values(set: &Value) -> std::collections::BTreeMap<(String, String), i64> {
    let mut out = std::collections::BTreeMap::new();
    for v in set["dataValues"].as_array().expect("dataValues") {
        let field = |k: &str| v[k].as_str().unwrap_or_else(|| panic!("{k} is a string: {v}")).to_string();
        let (element, period, org_unit, value) = (field("dataElement"), field("period"), field("orgUnit"), field("value"));
        assert!(element.starts_with("HGCS_") && element.len() <= 50, "{element}");
        assert!(dhis2_period(&period), "{period}");
        assert!(!org_unit.is_empty() && org_unit.bytes().all(|b| b.is_ascii_digit()), "{org_unit}");
        let n: i64 = value.parse().unwrap_or_else(|_| panic!("an integer count: {value}"));
        assert!(n >= 0);
        assert_eq!(v.as_object().unwrap().len(), 4, "only the four fields: {v}");
        assert!(out.insert((element, org_unit), n).is_none(), "a value given twice: {v}");
    }
    out
}

/// `format=dhis2`: a DHIS2 data value set by code, the unit's figures or each commune's, in
/// DHIS2's periods; what DHIS2 cannot take is refused.
async fn indicators_as_a_dhis2_data_value_set(app: TestApp) {
    let w = world(app).await;
    seed(&w).await;
    let year = hoagiai::db::today().format("%Y").to_string();
    let url = format!("/api/v1/stats/indicators?period={year}&format=dhis2");
    let set = w.officer.get(&url).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    assert!(set.header("content-type").unwrap().starts_with("application/vnd.dhis2+json"));
    let values = dhis2_values(&set.body);
    let json = w.officer.get(&format!("/api/v1/stats/indicators?period={year}")).await;
    let cases = &json.body["figures"]["cases"];
    for (element, field) in
        [("HGCS_CASES_RECEIVED", "received"), ("HGCS_CASES_SUCCESSFUL", "successful"), ("HGCS_CASES_OUT_OF_SCOPE", "out_of_scope")]
    {
        assert_eq!(Some(values[&(element.to_string(), "11110".to_string())]), cases[field].as_i64(), "{element}");
    }
    assert_eq!(Some(values[&("HGCS_TEAMS".into(), "11110".into())]), json.body["figures"]["teams"].as_i64());
    assert_eq!(Some(values[&("HGCS_MEDIATORS".into(), "11110".into())]), json.body["figures"]["mediators"]["total"].as_i64());
    assert!(set.body["dataValues"].as_array().unwrap().iter().all(|v| v["period"] == year.as_str()));
    // Its own ETag, and 304 to it.
    assert_ne!(set.etag(), json.etag());
    let again = w.officer.send("GET", &url, &[("if-none-match", &set.etag())], None).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // DHIS2's periods.
    for (ours, theirs) in [
        (format!("{year}-H1"), format!("{year}S1")),
        (format!("{year}-H2"), format!("{year}S2")),
        (format!("{year}-Q3"), format!("{year}Q3")),
        (format!("{year}-07"), format!("{year}07")),
    ] {
        let res = w.officer.get(&format!("/api/v1/stats/indicators?period={ours}&format=dhis2")).await;
        assert_eq!(res.status, StatusCode::OK, "{ours}: {}", res.text);
        dhis2_values(&res.body);
        assert!(res.body["dataValues"].as_array().unwrap().iter().all(|v| v["period"] == theirs.as_str()), "{ours}");
    }
    // A province's communes: each commune's case figures, never the province's total (DHIS2 adds
    // the children up itself).
    let (viewer, _) = w.app.user(Role::Viewer, Some(&w.tree.province)).await;
    let by_commune = viewer.get(&format!("{url}&unit_id={}&by=unit&level=commune", w.tree.province)).await;
    assert_eq!(by_commune.status, StatusCode::OK, "{}", by_commune.text);
    let communes = dhis2_values(&by_commune.body);
    let org_units: std::collections::BTreeSet<&str> = communes.keys().map(|(_, o)| o.as_str()).collect();
    assert_eq!(org_units, ["11110", "11111"].into_iter().collect());
    let total = viewer.get(&format!("/api/v1/stats/indicators?period={year}&unit_id={}", w.tree.province)).await;
    let received: i64 = communes.iter().filter(|((e, _), _)| e == "HGCS_CASES_RECEIVED").map(|(_, n)| n).sum();
    assert_eq!(Some(received), total.body["figures"]["cases"]["received"].as_i64());
    assert!(communes.keys().all(|(e, _)| e.starts_with("HGCS_CASES_")), "case figures only by commune");
    // What DHIS2 cannot take: a range of days, villages (no official code), other breakdowns.
    let refused = |query: String| {
        let officer = w.officer.clone();
        async move { officer.get(&format!("/api/v1/stats/indicators?{query}&format=dhis2")).await }
    };
    let range = refused(format!("period={year}-01-01..{year}-01-31")).await;
    range.assert_problem(422, "validation_failed");
    assert_eq!(range.body["errors"][0]["field"], "period");
    let villages = refused(format!("period={year}&by=unit")).await;
    villages.assert_problem(422, "validation_failed");
    assert_eq!(villages.body["errors"][0]["code"], "no_official_code");
    let by_category = refused(format!("period={year}&by=category")).await;
    by_category.assert_problem(422, "validation_failed");
    assert_eq!(by_category.body["errors"][0]["field"], "by");
    w.officer.get(&format!("/api/v1/stats/indicators?period={year}&format=pdf")).await.assert_problem(422, "validation_failed");
}

/// Answers are kept while nothing is written; the next read after a write is computed afresh.
async fn a_write_is_seen_at_once_despite_the_answer_cache(app: TestApp) {
    let w = world(app).await;
    let year = hoagiai::db::today().format("%Y").to_string();
    let path = format!("/api/v1/stats/indicators?period={year}");
    let first = w.officer.get(&path).await;
    let again = w.officer.get(&path).await;
    assert_eq!((first.etag(), &first.body["figures"]), (again.etag(), &again.body["figures"]));
    create(&w.leader, &new_case(&w.team)).await;
    let after = w.officer.get(&path).await;
    assert_eq!(after.body["figures"]["cases"]["new"].as_i64(), first.body["figures"]["cases"]["new"].as_i64().map(|n| n + 1));
    assert_ne!(after.etag(), first.etag());
}

fn days_ago(n: i64) -> chrono::NaiveDate {
    hoagiai::db::today() - chrono::Duration::days(n)
}

/// Two cases received before the period (one concluded before it), three within it: one
/// successful, one unsuccessful, one out of scope (found so two days after it came, and entered
/// later), and one carried in still open.
async fn seed(w: &World) -> (String, chrono::NaiveDate, chrono::NaiveDate) {
    let start = days_ago(40);
    let end = days_ago(0);
    let post = |c: &Client, path: String, body: Value| {
        let c = c.clone();
        async move {
            let res = c.post(&path, &body).await;
            assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text);
        }
    };
    let mut ids = Vec::new();
    for (received, category) in [(60, "land"), (50, "land"), (30, "family_marriage"), (20, "land"), (10, "neighbourhood")] {
        let mut body = new_case(&w.team);
        body["received_on"] = json!(days_ago(received));
        body["category"] = json!(category);
        let c = create(&w.leader, &body).await;
        ids.push((c.body["id"].as_str().unwrap().to_string(), c.body["parties"].clone(), received));
    }
    for (i, (id, parties, received)) in ids.iter().enumerate() {
        let p = format!("/api/v1/cases/{id}");
        if i == 4 {
            post(&w.leader, format!("{p}/out-of-scope"), json!({"reason": "Hình sự", "decided_on": days_ago(*received - 2)})).await;
            continue;
        }
        post(
            &w.leader,
            format!("{p}/assignments"),
            json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader", "assigned_on": days_ago(*received - 1)}),
        )
        .await;
        post(&w.leader, format!("{p}/sessions"), json!({"held_on": days_ago(*received - 2)})).await;
        match i {
            0 => post(&w.leader, format!("{p}/end"), json!({"end_reason": "agreement", "agreement_text": "x", "ended_on": days_ago(55)})).await,
            2 => post(&w.leader, format!("{p}/end"), json!({"end_reason": "agreement", "agreement_text": "x", "ended_on": days_ago(25)})).await,
            3 => {
                post(&w.leader, format!("{p}/end"), json!({"end_reason": "party_withdrew", "ended_on": days_ago(15), "demands": [{"party_id": parties[0]["id"], "demand": "y"}]})).await
            }
            _ => {}
        }
    }
    (format!("{start}..{end}"), start, end)
}

async fn indicators_from_a_known_data_set(app: TestApp) {
    let w = world(app).await;
    let (period, _, _) = seed(&w).await;
    let res = w.officer.get(&format!("/api/v1/stats/indicators?period={period}")).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let c = &res.body["figures"]["cases"];
    // Carried over: received 60 and 50 days ago, the first concluded 55 days ago → 1.
    assert_eq!(c["carried_over"], 1, "{}", res.text);
    // New: received 30 and 20 days ago; the one received 10 days ago was out of scope, so it was
    // never received for mediation: received 3 = 1 successful + 1 unsuccessful + 1 in progress.
    assert_eq!(c["new"], 2);
    assert_eq!(c["received"], 3);
    assert_eq!(c["successful"], 1);
    assert_eq!(c["unsuccessful"], 1);
    assert_eq!(c["out_of_scope"], 1);
    assert_eq!(c["in_progress_at_end"], 1);
    assert_eq!(c["success_rate_of_concluded"], 0.5);
    // 1 ÷ 3, where counting the out-of-scope case as received gave 1 ÷ 4.
    assert_eq!(c["success_rate_of_received"], 0.3333);
    assert_eq!(res.body["figures"]["teams"], 1);
    assert_eq!(res.body["figures"]["mediators"]["total"], 3);
    assert_eq!(res.body["figures"]["mediators"]["women"], 1);
    assert!(!res.text.contains("Nguyễn Văn An"), "no personal data in statistics");

    let by_cat = w.officer.get(&format!("/api/v1/stats/indicators?period={period}&by=category")).await;
    let land = by_cat.body["breakdown"].as_array().unwrap().iter().find(|l| l["key"] == "land").unwrap().clone();
    assert_eq!(
        (land["cases"]["carried_over"].as_i64(), land["cases"]["new"].as_i64(), land["cases"]["unsuccessful"].as_i64()),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(land["label"], "Đất đai");
    let by_month = w.officer.get(&format!("/api/v1/stats/indicators?period={period}&by=month")).await;
    let new_by_month: i64 = by_month.body["breakdown"].as_array().unwrap().iter().map(|l| l["cases"]["new"].as_i64().unwrap()).sum();
    assert_eq!(new_by_month, 2, "the months add up");
    // A district system gets all its communes in one call.
    let (district_stats, _) = w.app.user(Role::Stats, Some(&w.tree.district)).await;
    let by_unit = district_stats.get(&format!("/api/v1/stats/indicators?period={period}&by=unit&level=commune")).await;
    assert_eq!(by_unit.status, StatusCode::OK, "{}", by_unit.text);
    let lines = by_unit.body["breakdown"].as_array().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["label"], "Xã Đoàn Kết");
    assert_eq!(lines[0]["cases"]["received"], 3);
    // Scope: commune B's statistics reader cannot ask about commune A.
    let (other, _) = w.app.user(Role::Stats, Some(&w.tree.commune_b)).await;
    other.get(&format!("/api/v1/stats/indicators?period={period}&unit_id={}", w.tree.commune_a)).await.assert_problem(404, "not_found");
    let theirs = other.get(&format!("/api/v1/stats/indicators?period={period}")).await;
    assert_eq!(theirs.body["figures"]["cases"]["received"], 0);
    w.officer.get("/api/v1/stats/indicators?period=2026-H3").await.assert_problem(422, "validation_failed");

    // The counters agree with the cases.
    let differences = hoagiai::stats::counters::check(&mut w.app.db.get().unwrap()).unwrap();
    assert!(differences.is_empty(), "{differences:?}");
}

async fn conditional_and_csv_answers(app: TestApp) {
    let w = world(app).await;
    let (period, _, _) = seed(&w).await;
    let url = format!("/api/v1/stats/indicators?period={period}");
    let first = w.officer.get(&url).await;
    let etag = first.etag();
    assert!(first.header("cache-control").unwrap().contains("max-age"));
    let again = w.officer.send("GET", &url, &[("if-none-match", &etag)], None).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    // Another scope never shares the ETag, even with the same figures.
    let (viewer, _) = w.app.user(Role::Viewer, Some(&w.tree.district)).await;
    let theirs = viewer.get(&format!("{url}&unit_id={}", w.tree.commune_a)).await;
    assert_eq!(theirs.body["figures"], first.body["figures"]);
    assert_ne!(theirs.etag(), etag);
    // A new case changes the figures, so the ETag.
    create(&w.leader, &new_case(&w.team)).await;
    let changed = w.officer.send("GET", &url, &[("if-none-match", &etag)], None).await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_ne!(changed.etag(), etag);
    let csv = w.officer.send("GET", &format!("{url}&by=category"), &[("accept", "text/csv")], None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    assert!(csv.text.starts_with('\u{feff}'));
    assert!(csv.text.contains("Hôn nhân và gia đình"));
    assert_eq!(csv.text.lines().count(), 1 + 1 + 6);
}

async fn machine_clients_pull_facts_incrementally(app: TestApp) {
    let w = world(app).await;
    for _ in 0..5 {
        create(&w.leader, &new_case(&w.team)).await;
    }
    let res = w.officer.post("/api/v1/api-clients", &json!({"name": "Sở Tư pháp", "unit_id": w.tree.commune_a})).await;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        res.body["id"].as_str().unwrap(),
        res.body["client_secret"].as_str().unwrap()
    );
    let token = w.app.anon().send("POST", "/api/v1/auth/token", &[], Some(("application/x-www-form-urlencoded", form.into_bytes()))).await;
    let machine = w.app.with_token(token.body["access_token"].as_str().unwrap());
    let mut seen = Vec::new();
    let mut url = "/api/v1/stats/cases?limit=2".to_string();
    loop {
        let page = machine.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        assert!(!page.text.contains("Nguyễn Văn An") && !page.text.contains("lối đi"), "facts only");
        for item in page.body["items"].as_array().unwrap() {
            seen.push(item["updated_at"].as_str().unwrap().to_string());
        }
        match page.body["next_cursor"].as_str() {
            Some(c) => url = format!("/api/v1/stats/cases?limit=2&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 5);
    // Tomorrow night: only what changed since the newest seen.
    let newest = seen.last().unwrap().clone();
    let first = w.leader.get("/api/v1/cases?limit=1").await;
    let id = first.body["items"][0]["id"].as_str().unwrap();
    w.leader.post(&format!("/api/v1/cases/{id}/out-of-scope"), &json!({"reason": "Hình sự"})).await;
    let changed = machine.get(&format!("/api/v1/stats/cases?updated_since={}", newest.replace('+', "%2B"))).await;
    let items = changed.body["items"].as_array().unwrap();
    assert!(items.iter().any(|i| i["id"] == id && i["status"] == "out_of_scope"), "{}", changed.text);
    assert!(items.len() <= 2);
    // A machine client reads statistics, not case lists.
    machine.get("/api/v1/cases").await.assert_problem(403, "forbidden");
    let ind = machine.get(&format!("/api/v1/stats/indicators?period={}", hoagiai::db::today().format("%Y"))).await;
    assert_eq!(ind.status, StatusCode::OK, "{}", ind.text);
}

/// A submitted report is frozen: a later change of the cases never changes it; a new version
/// supersedes it and both are kept.
#[actix_web::test]
async fn submitted_reports_are_frozen_and_versioned() {
    let w = world(TestApp::sqlite().await).await;
    let year: i32 = hoagiai::db::today().format("%Y").to_string().parse().unwrap();
    create(&w.leader, &new_case(&w.team)).await;
    let body = json!({"unit_id": w.tree.commune_a, "kind": "annual_official", "year": year - 1});
    w.officer.post("/api/v1/stats/reports", &json!({"unit_id": w.tree.commune_a, "kind": "annual_official", "year": year, "estimates": {"new": 1, "successful": 0, "unsuccessful": 0, "out_of_scope": 0}}))
        .await
        .assert_problem(422, "validation_failed");
    let first = w.officer.post("/api/v1/stats/reports", &json!({"unit_id": w.tree.commune_a, "kind": "annual", "year": year, "cutoff_date": hoagiai::db::today(), "estimates": {"new": 2, "successful": 1, "unsuccessful": 0, "out_of_scope": 0}})).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text);
    assert_eq!(first.body["report_version"], 1);
    let received = first.body["lines"].as_array().unwrap().iter().find(|l| l["code"] == "received").unwrap().clone();
    assert_eq!((received["actual"].as_i64(), received["estimated"].as_i64(), received["total"].as_i64()), (Some(1), Some(2), Some(3)));
    // More cases after submission: the submitted report does not move.
    create(&w.leader, &new_case(&w.team)).await;
    let again = w.officer.get(&format!("/api/v1/stats/reports/{}", first.body["id"].as_str().unwrap())).await;
    assert_eq!(again.body["actual"], first.body["actual"]);
    let second = w
        .officer
        .post(
            "/api/v1/stats/reports",
            &json!({"unit_id": w.tree.commune_a, "kind": "annual", "year": year, "cutoff_date": hoagiai::db::today()}),
        )
        .await;
    assert_eq!(second.body["report_version"], 2);
    assert_eq!(second.body["actual"]["cases"]["new"], 2);
    let listed = w.officer.get(&format!("/api/v1/stats/reports?year={year}")).await;
    let items = listed.body.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["superseded_by"], second.body["id"]);
    let csv = w.officer.get(&format!("/api/v1/stats/reports/{}?format=csv", second.body["id"].as_str().unwrap())).await;
    assert!(csv.text.starts_with('\u{feff}') && csv.text.contains("Số vụ, việc hòa giải thành"));
    let xlsx = w.officer.get(&format!("/api/v1/stats/reports/{}?format=xlsx", second.body["id"].as_str().unwrap())).await;
    assert!(xlsx.text.starts_with("PK"));
    // A district statistics reader reads it; a team leader cannot submit one.
    let (district, _) = w.app.user(Role::Stats, Some(&w.tree.district)).await;
    assert_eq!(district.get(&format!("/api/v1/stats/reports/{}", second.body["id"].as_str().unwrap())).await.status, StatusCode::OK);
    w.leader.post("/api/v1/stats/reports", &body).await.assert_problem(403, "forbidden");
}

/// The officer the random walks write as: every unit in scope.
fn walk_officer() -> hoagiai::auth::Actor {
    let scope = hoagiai::auth::Scope::national();
    hoagiai::auth::Actor { role: Role::Officer, unit_level: Some("commune".into()), scope, ..hoagiai::auth::Actor::system() }
}

/// A seeded xorshift: `roll(n)` is a number below n, the same sequence on every run.
fn dice(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    }
}

/// After any sequence of case writes — creates, assignments, sessions, ends, out-of-scope,
/// corrections — the counters equal what the cases say. A seeded random walk, many steps.
async fn counters_survive_random_case_writes(app: TestApp) {
    use chrono::Datelike;
    use diesel::prelude::*;
    use hoagiai::cases::dto::*;
    use hoagiai::cases::store as cases;
    let w = world(app).await;
    let officer = walk_officer();
    let team: uuid::Uuid = w.team.parse().unwrap();
    let mediator: uuid::Uuid = w.mediator_a_id.parse().unwrap();
    let mut roll = dice(0x5eed_1234_abcd_0001);
    let mut ids: Vec<String> = Vec::new();
    for step in 0..150 {
        let officer = officer.clone();
        let choice = if ids.is_empty() { 0 } else { roll(8) };
        let target = if ids.is_empty() { String::new() } else { ids[roll(ids.len() as u64) as usize].clone() };
        // Back into the years before last, so that what a period carries over comes from the
        // yearly rollups as well as the monthly ones (the statistics read the yearly rows of those
        // years only).
        let ago = roll(1100) as i64 + 10;
        let category = [Category::Land, Category::FamilyMarriage, Category::Neighbourhood][roll(3) as usize];
        let (agreed, pick) = (roll(3) > 0, roll(1000) as usize);
        let result = w
            .app
            .db
            .write(move |c| {
                use hoagiai::db::schema::{case_parties, cases as case_rows};
                let day = |n: i64| hoagiai::db::today() - chrono::Duration::days(n);
                let demands_of = |c: &mut hoagiai::db::DbConn, id: &str| -> Result<Vec<PartyDemand>, hoagiai::error::ApiError> {
                    let parties = case_parties::table.filter(case_parties::case_id.eq(id)).select(case_parties::id).load::<String>(c)?;
                    Ok(parties.iter().map(|p| PartyDemand { party_id: p.parse().unwrap(), demand: "z".into() }).collect())
                };
                match choice {
                    0 | 1 => {
                        let input = CreateCase {
                            id: None,
                            team_id: team,
                            received_on: Some(day(ago)),
                            basis: Basis::PartyRequest,
                            referring_body: None,
                            category,
                            summary: format!("Vụ việc số {step}"),
                            parties: vec![NewParty {
                                kind: PartyKind::Person,
                                role: PartyRole::Party,
                                full_name: format!("Bên {step}"),
                                age: None,
                                birth_year: None,
                                address: None,
                                phone: None,
                            }],
                            notes: None,
                            logbook_volume: None,
                        };
                        cases::create(c, &officer, &input, 3, &[]).map(|(d, _)| Some(d.id))
                    }
                    2 => cases::assign(
                        c,
                        &officer,
                        &target,
                        None,
                        AssignMediator {
                            mediator_id: mediator,
                            assigned_on: Some(day(5)),
                            chosen_by: ChosenBy::Leader,
                            replaces: None,
                            reason: None,
                        },
                    )
                    .map(|_| None),
                    3 => {
                        let demands = if agreed { vec![] } else { demands_of(c, &target)? };
                        let input = EndCase {
                            end_reason: if agreed { EndReason::Agreement } else { EndReason::MediatorEnded },
                            ended_on: Some(day(ago.min(4))),
                            agreement_text: agreed.then(|| "x".into()),
                            demands,
                            referral: None,
                        };
                        cases::end(c, &officer, &target, None, input).map(|_| None)
                    }
                    4 => cases::mark_out_of_scope(
                        c,
                        &officer,
                        &target,
                        None,
                        MarkOutOfScope { reason: "x".into(), referred_to: None, decided_on: Some(day(ago.min(6))) },
                    )
                    .map(|_| None),
                    7 => {
                        // A correction of one of the cases with a result, when there is one.
                        let done: Vec<String> = case_rows::table
                            .filter(case_rows::status.eq_any(["successful", "unsuccessful"]))
                            .order(case_rows::id.asc())
                            .select(case_rows::id)
                            .load(c)?;
                        let Some(target) = (!done.is_empty()).then(|| done[pick % done.len()].clone()) else { return Ok(None) };
                        let case = cases::find(c, &officer, &target)?;
                        let flip = if case.status == "successful" { EndReason::MediatorEnded } else { EndReason::Agreement };
                        let agreement = flip == EndReason::Agreement;
                        let input = CorrectResult {
                            end_reason: flip,
                            ended_on: Some(day(ago.min(2))),
                            agreement_text: agreement.then(|| "y".into()),
                            demands: if agreement { vec![] } else { demands_of(c, &target)? },
                            referral: None,
                        };
                        cases::correct_result(c, &officer, &target, case.version, input).map(|_| None)
                    }
                    5 => {
                        let case = cases::find(c, &officer, &target)?;
                        let patch = UpdateCase {
                            received_on: None,
                            basis: None,
                            referring_body: None,
                            category: Some(category),
                            summary: None,
                            parties: None,
                            notes: None,
                            logbook_volume: None,
                            agreement_text: None,
                            ended_on: case.ended_on.map(|_| day(ago.min(3))),
                        };
                        cases::update(c, &officer, &target, case.version, patch).map(|_| None)
                    }
                    _ => cases::record_session(
                        c,
                        &officer,
                        &target,
                        None,
                        RecordSession { held_on: day(3), place: None, is_public: false, participants: vec![], notes: None },
                    )
                    .map(|_| None),
                }
            })
            .await;
        match result {
            Ok(Some(id)) => ids.push(id),
            Ok(None) => {}
            // Refused moves (409, 422) change nothing; that is part of what is checked.
            Err(e) => assert!(e.status.is_client_error(), "step {step}: {e}"),
        }
    }
    let differences = hoagiai::stats::counters::check(&mut w.app.db.get().unwrap()).unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
    // The rollups (monthly and yearly) and the cases themselves (what a range of days that is not
    // whole months is counted from) give the same figures, in every breakdown.
    let today = hoagiai::db::today();
    let year = today.format("%Y").to_string();
    let last_year = (today.year() - 1).to_string();
    let year_before = (today.year() - 2).to_string();
    let month = today.format("%Y-%m").to_string();
    let mut conn = w.app.db.get().unwrap();
    let system = hoagiai::auth::Actor::system();
    let periods = [
        year.clone(),
        format!("{last_year}-Q4"),
        last_year,
        year_before.clone(),
        format!("{year_before}-H2"),
        format!("{year}-H1"),
        format!("{year}-H2"),
        format!("{year}-Q4"),
        month,
    ];
    let rollups_agree_with_the_cases = |conn: &mut hoagiai::db::DbConn| {
        for period in &periods {
            for by in [None, Some(BreakdownBy::Category), Some(BreakdownBy::Basis), Some(BreakdownBy::Month), Some(BreakdownBy::Unit)] {
                for unit in [Some(w.tree.commune_a.parse().unwrap()), Some(w.tree.province.parse().unwrap()), None] {
                    let q = IndicatorQuery { unit_id: unit, period: period.clone(), by, level: None, boundaries: None, format: None };
                    let monthly = hoagiai::stats::store::indicators_with(conn, &system, &q, true).unwrap();
                    let counted = hoagiai::stats::store::indicators_with(conn, &system, &q, false).unwrap();
                    assert_eq!(monthly.figures, counted.figures, "{period} {by:?} {unit:?}");
                    assert_eq!(monthly.breakdown, counted.breakdown, "{period} {by:?} {unit:?}");
                }
            }
        }
    };
    rollups_agree_with_the_cases(&mut conn);
    // The yearly rows of the years that are over were kept by the writes (the harness filled them
    // at start, empty); this year's were not written at all (a create of this year pays for no
    // yearly row).
    use hoagiai::db::schema::{case_rollup_years, case_rollup_years_filled};
    let years: Vec<i32> = case_rollup_years::table.select(case_rollup_years::year).distinct().load(&mut *conn).unwrap();
    assert!(years.contains(&(today.year() - 2)) && !years.contains(&today.year()), "{years:?}");
    let mark = |conn: &mut hoagiai::db::DbConn, year: i32| {
        diesel::update(case_rollup_years_filled::table).set(case_rollup_years_filled::through_year.eq(year)).execute(conn).unwrap();
    };
    let spoil = |conn: &mut hoagiai::db::DbConn, year: i32| {
        diesel::update(case_rollup_years::table.filter(case_rollup_years::year.eq(year)))
            .set(case_rollup_years::received.eq(case_rollup_years::received + 5))
            .execute(conn)
            .unwrap();
    };
    // Last year is read from its yearly rows once it is marked filled: spoilt, they show in this
    // year's answer (what it carries over).
    assert_eq!(hoagiai::stats::counters::years_filled_through(&mut conn).unwrap(), hoagiai::stats::counters::last_year_to_fill(today));
    if today.ordinal() > 1 {
        spoil(&mut conn, today.year() - 1);
        let q = IndicatorQuery {
            unit_id: Some(w.tree.commune_a.parse().unwrap()),
            period: year.clone(),
            by: None,
            level: None,
            boundaries: None,
            format: None,
        };
        let monthly = hoagiai::stats::store::indicators_with(&mut conn, &system, &q, true).unwrap();
        let counted = hoagiai::stats::store::indicators_with(&mut conn, &system, &q, false).unwrap();
        assert_ne!(monthly.figures, counted.figures, "last year's yearly rows were not read");
        assert!(!hoagiai::stats::counters::check(&mut conn).unwrap().is_empty(), "check sees the spoilt rows");
    }
    // Right after the turn of a year, before the fill, last year's rows hold only what was written
    // since (here: spoilt, or nothing) and its mark is the year before: the answers read its months.
    mark(&mut conn, today.year() - 2);
    rollups_agree_with_the_cases(&mut conn);
    diesel::delete(case_rollup_years::table.filter(case_rollup_years::year.eq(today.year() - 1))).execute(&mut *conn).unwrap();
    rollups_agree_with_the_cases(&mut conn);
    // A year that is over is filled from its months, replacing what was there: spoilt rows (an
    // upgrade, or writes before the fill) are made right, the answers stay the same.
    mark(&mut conn, 0);
    spoil(&mut conn, today.year() - 2);
    spoil(&mut conn, today.year() - 1);
    assert_eq!(hoagiai::stats::counters::check(&mut conn).unwrap(), Vec::<String>::new(), "unfilled years are not checked");
    mark(&mut conn, today.year() - 1);
    assert!(!hoagiai::stats::counters::check(&mut conn).unwrap().is_empty(), "check sees the spoilt rows");
    mark(&mut conn, 0);
    hoagiai::stats::fill_past_years(&mut conn).unwrap();
    let through: i32 = case_rollup_years_filled::table.select(case_rollup_years_filled::through_year).get_result(&mut *conn).unwrap();
    assert_eq!(through, hoagiai::stats::counters::last_year_to_fill(today));
    assert_eq!(hoagiai::stats::counters::check(&mut conn).unwrap(), Vec::<String>::new());
    rollups_agree_with_the_cases(&mut conn);
    // A year is filled only once its first day is over: clocks a little behind still keep it.
    assert_eq!(hoagiai::stats::counters::last_year_to_fill(today.with_ordinal(1).unwrap()), today.year() - 2);
    assert_eq!(hoagiai::stats::counters::last_year_to_fill(today.with_ordinal(2).unwrap()), today.year() - 1);
    // Filled through this year (as a year from now), every year's rows are read and checked.
    hoagiai::db::write_transaction(&mut conn, |c| hoagiai::stats::counters::fill_past_years(c, today.year())).unwrap();
    let years: Vec<i32> = case_rollup_years::table.select(case_rollup_years::year).distinct().load(&mut *conn).unwrap();
    assert!(years.contains(&today.year()), "{years:?}");
    assert_eq!(hoagiai::stats::counters::check(&mut conn).unwrap(), Vec::<String>::new());
    rollups_agree_with_the_cases(&mut conn);
    // The walk went everywhere: every kind of end happened, and corrections both ways.
    let all = w.officer.get("/api/v1/cases?limit=100").await;
    for status in ["successful", "unsuccessful", "out_of_scope", "in_progress"] {
        assert!(all.body["items"].as_array().unwrap().iter().any(|c| c["status"] == status), "no {status} case in the walk");
    }
    use hoagiai::db::schema::audit_log;
    let corrections: Vec<String> = audit_log::table
        .filter(audit_log::action.eq("correct_result"))
        .select(audit_log::new_values)
        .load::<Option<String>>(&mut *conn)
        .unwrap()
        .into_iter()
        .flatten()
        .collect();
    for to in ["\"status\":\"successful\"", "\"status\":\"unsuccessful\""] {
        assert!(corrections.iter().any(|v| v.contains(to)), "no correction to {to} in the walk");
    }
    // What `hoagiai stats check --fix` does after a bad restore: the rollups rebuilt from every
    // case (read a page at a time), the same as the writes left them.
    diesel::delete(hoagiai::db::schema::case_rollups::table).execute(&mut *conn).unwrap();
    assert!(!hoagiai::stats::counters::check(&mut conn).unwrap().is_empty(), "check sees the lost rows");
    let case_count: i64 = hoagiai::db::schema::cases::table.count().get_result(&mut *conn).unwrap();
    let rebuilt = hoagiai::db::write_transaction(&mut conn, hoagiai::stats::counters::rebuild).unwrap();
    assert_eq!(rebuilt as i64, case_count);
    assert_eq!(hoagiai::stats::counters::check(&mut conn).unwrap(), Vec::<String>::new());
    rollups_agree_with_the_cases(&mut conn);
}

/// A merged commune: by the boundaries in force its figures include the communes it absorbed;
/// by historical boundaries each commune keeps its own. A split is never guessed.
async fn merged_communes_and_boundaries(app: TestApp) {
    let w = world(app).await;
    for _ in 0..3 {
        create(&w.leader, &new_case(&w.team)).await;
    }
    let admin = &w.tree.admin;
    let today = hoagiai::db::today();
    let year = today.format("%Y").to_string();
    let merged = admin
        .post(
            "/api/v1/units",
            &json!({"name": "Xã Đoàn Kết Mới", "code": "11999", "level": "commune", "parent_id": w.tree.province, "valid_from": today}),
        )
        .await;
    assert_eq!(merged.status, StatusCode::CREATED, "{}", merged.text);
    let merged_id = merged.body["id"].as_str().unwrap().to_string();
    let res = admin
        .post(
            "/api/v1/unit-successions",
            &json!({"from_unit_id": w.tree.commune_a, "to_unit_id": merged_id, "kind": "merge", "effective_date": today}),
        )
        .await;
    assert_eq!(res.status, StatusCode::CREATED);
    let a = admin.get(&format!("/api/v1/units/{}", w.tree.commune_a)).await;
    let closed = admin.patch(&format!("/api/v1/units/{}", w.tree.commune_a), &a.etag(), &json!({"valid_to": today})).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);

    let current = admin.get(&format!("/api/v1/stats/indicators?period={year}&unit_id={merged_id}")).await;
    assert_eq!(current.body["figures"]["cases"]["received"], 3, "{}", current.text);
    assert_eq!(current.body["boundaries"], "current");
    let historical = admin.get(&format!("/api/v1/stats/indicators?period={year}&unit_id={merged_id}&boundaries=historical")).await;
    assert_eq!(historical.body["figures"]["cases"]["received"], 0);

    let key = |r: &crate::common::Resp| -> Vec<(String, i64)> {
        r.body["breakdown"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| (l["label"].as_str().unwrap().to_string(), l["cases"]["received"].as_i64().unwrap()))
            .collect()
    };
    let by_current = admin.get(&format!("/api/v1/stats/indicators?period={year}&unit_id={}&by=unit&level=commune", w.tree.province)).await;
    assert_eq!(key(&by_current), vec![("Xã Hồng Quang".to_string(), 0), ("Xã Đoàn Kết Mới".to_string(), 3)]);
    let by_history = admin
        .get(&format!("/api/v1/stats/indicators?period={year}&unit_id={}&by=unit&level=commune&boundaries=historical", w.tree.province))
        .await;
    assert_eq!(
        key(&by_history),
        vec![("Xã Hồng Quang".to_string(), 0), ("Xã Đoàn Kết".to_string(), 3), ("Xã Đoàn Kết Mới".to_string(), 0)]
    );
    // The province's total is the same either way.
    let total = |b: &str| {
        let admin = admin.clone();
        let url = format!("/api/v1/stats/indicators?period={year}&unit_id={}&boundaries={b}", w.tree.province);
        async move { admin.get(&url).await.body["figures"]["cases"]["received"].clone() }
    };
    assert_eq!(total("current").await, total("historical").await);

    // Hồng Quang is split: the new commune's figures leave it out and say so.
    let part = admin
        .post("/api/v1/units", &json!({"name": "Xã Tách Ra", "level": "commune", "parent_id": w.tree.province, "valid_from": today}))
        .await;
    let part_id = part.body["id"].as_str().unwrap();
    admin
        .post(
            "/api/v1/unit-successions",
            &json!({"from_unit_id": w.tree.commune_b, "to_unit_id": part_id, "kind": "split", "effective_date": today}),
        )
        .await;
    let split = admin.get(&format!("/api/v1/stats/indicators?period={year}&unit_id={part_id}")).await;
    assert_eq!(split.body["needs_manual_mapping"][0]["unit_id"], w.tree.commune_b.as_str());
    assert_eq!(split.body["needs_manual_mapping"][0]["reason"], "split");
}

/// The areas of several units today (a breakdown's) are read in ONE statement whatever the
/// generations of successions behind them, and say what one unit's own look-ups say: Xã Y took in Xã X, which had taken in Xã Đoàn Kết (two
/// generations); Xã Hồng Quang split into Y and is named, not inherited; a succession recorded
/// in a loop by mistake still ends.
async fn todays_areas_walk_every_generation_at_once(app: TestApp) {
    use diesel::RunQueryDsl;
    use hoagiai::db::area::{todays_area, todays_areas, Area, SplitPredecessor};
    use std::sync::atomic::Ordering;

    let tree = app.tree().await;
    let admin = &tree.admin;
    let today = hoagiai::db::today();
    let commune = |name: &str| {
        let body = json!({"name": name, "level": "commune", "parent_id": tree.province, "valid_from": today});
        async move {
            let res = admin.post("/api/v1/units", &body).await;
            assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
            res.body["id"].as_str().unwrap().to_string()
        }
    };
    let path_of = |id: &str| -> String {
        use diesel::prelude::*;
        use hoagiai::db::schema::units;
        units::table.find(id).select(units::path).get_result(&mut *app.db.get().unwrap()).unwrap()
    };
    let (x, y) = (commune("Xã X").await, commune("Xã Y").await);
    let (x_path, y_path) = (path_of(&x), path_of(&y));
    for (from, to, kind) in [(&tree.commune_a, &x, "merge"), (&x, &y, "merge"), (&tree.commune_b, &y, "split")] {
        let res = admin
            .post("/api/v1/unit-successions", &json!({"from_unit_id": from, "to_unit_id": to, "kind": kind, "effective_date": today}))
            .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.text);
    }
    let a_path = path_of(&tree.commune_a);
    let b_name = admin.get(&format!("/api/v1/units/{}", tree.commune_b)).await.body["name"].as_str().unwrap().to_string();

    let mut conn = app.db.get().unwrap();
    let statements = crate::common::count_statements(&mut conn);
    let units = [(y.as_str(), y_path.as_str()), (x.as_str(), x_path.as_str()), (tree.commune_a.as_str(), a_path.as_str())];
    let areas = todays_areas(&mut conn, &units).unwrap();
    assert_eq!(statements.load(Ordering::Relaxed), 1, "three units, two generations: one statement");
    let split = vec![SplitPredecessor { unit_id: tree.commune_b.clone(), name: b_name.clone() }];
    assert_eq!(areas[0], (Area::of([y_path.clone(), x_path.clone(), a_path.clone()]), split.clone()), "Y: itself, X and X's predecessor");
    assert_eq!(areas[1], (Area::of([x_path.clone(), a_path.clone()]), Vec::new()), "X: itself and Đoàn Kết");
    assert_eq!(areas[2], (Area::of([a_path.clone()]), Vec::new()), "Đoàn Kết: inherits nothing");
    assert_eq!(todays_area(&mut conn, &y, &y_path).unwrap(), areas[0].clone(), "one unit alone: the same walk");

    // A loop (Y recorded as merged back into Đoàn Kết): every walk still ends, each unit once.
    diesel::sql_query(
        "INSERT INTO unit_successions (id, from_unit_id, to_unit_id, kind, effective_date, created_at) \
         VALUES ('loop', $1, $2, 'merge', '2025-07-01', '2025-07-01 00:00:00')"
            .replace("$1", &format!("'{y}'"))
            .replace("$2", &format!("'{}'", tree.commune_a)),
    )
    .execute(&mut *conn)
    .unwrap();
    let looped = todays_areas(&mut conn, &units).unwrap();
    let all = Area::of([y_path.clone(), x_path.clone(), a_path.clone()]);
    for (area, splits) in &looped {
        assert_eq!(area, &all, "in a loop each unit's walk reaches the others");
        assert_eq!(splits, &split);
    }
}

/// With the answer cache off every answer is computed afresh: the same figures keep their ETag
/// (the time of computing is not part of it, though the answer still says it), each
/// representation has its own, and a changed figure changes it.
#[actix_web::test]
async fn the_same_figures_computed_again_keep_their_etag() {
    let w = world(TestApp::sqlite_with(&[("stats_cache_secs", "0")]).await).await;
    let year = hoagiai::db::today().format("%Y").to_string();
    let path = format!("/api/v1/stats/indicators?period={year}&by=category");
    let first = w.officer.get(&path).await;
    actix_web::rt::time::sleep(std::time::Duration::from_millis(5)).await;
    let again = w.officer.get(&path).await;
    assert_ne!(first.body["generated_at"], again.body["generated_at"], "computed twice");
    assert_eq!((first.etag(), &first.body["figures"]), (again.etag(), &again.body["figures"]));
    let not_modified = w.officer.send("GET", &path, &[("if-none-match", &first.etag())], None).await;
    assert_eq!(not_modified.status, StatusCode::NOT_MODIFIED);
    let csv = w.officer.send("GET", &path, &[("accept", "text/csv")], None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_ne!(csv.etag(), first.etag());
    create(&w.leader, &new_case(&w.team)).await;
    let after = w.officer.get(&path).await;
    assert_ne!(after.etag(), first.etag());
}

/// Each machine client has its own rate; past it, 429 with Retry-After, and people are unaffected.
#[actix_web::test]
async fn machine_clients_are_rate_limited() {
    let app = TestApp::sqlite_with(&[("client_rate_limit", "60")]).await;
    let tree = app.tree().await;
    let res = tree.admin.post("/api/v1/api-clients", &json!({"name": "Bảng điều khiển", "unit_id": tree.commune_a})).await;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        res.body["id"].as_str().unwrap(),
        res.body["client_secret"].as_str().unwrap()
    );
    let token = app.anon().send("POST", "/api/v1/auth/token", &[], Some(("application/x-www-form-urlencoded", form.into_bytes()))).await;
    let machine = app.with_token(token.body["access_token"].as_str().unwrap());
    let url = format!("/api/v1/stats/indicators?period={}", hoagiai::db::today().format("%Y"));
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(machine.get(&url).await);
    }
    assert!(statuses[..10].iter().all(|r| r.status == StatusCode::OK));
    let limited = statuses.last().unwrap();
    limited.assert_problem(429, "too_many_requests");
    assert!(limited.header("retry-after").is_some());
    assert_eq!(tree.admin.get(&url).await.status, StatusCode::OK, "people are not limited by a machine's rate");
}

/// On the demo commune: no statistics or `stats`-level answer carries a party's name.
#[actix_web::test]
async fn no_personal_data_in_statistics_of_the_demo() {
    let app = TestApp::sqlite().await;
    let dir = app.data_dir.clone();
    let logins = {
        let mut conn = app.db.get().unwrap();
        hoagiai::demo::seed(&mut conn, &dir).unwrap()
    };
    let password = |user: &str| logins.iter().find(|l| l.username == user).unwrap().password.clone();
    let officer = app.login("canbo.tuphap", &password("canbo.tuphap")).await;
    // The demo's party names, as the officer (who may) sees them.
    let cases = officer.get("/api/v1/cases?limit=100").await;
    let names: Vec<String> = cases.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["party_names"].as_array().unwrap().clone())
        .map(|n| n.as_str().unwrap().to_string())
        .collect();
    assert!(names.len() > 50, "the demo has parties");
    let summaries: Vec<String> =
        cases.body["items"].as_array().unwrap().iter().map(|c| c["summary"].as_str().unwrap().to_string()).collect();
    let year = hoagiai::db::today().format("%Y").to_string();
    let res = officer.post("/api/v1/api-clients", &json!({"name": "Huyện", "unit_id": cases.body["items"][0]["unit_id"]})).await;
    let commune_units = officer.get("/api/v1/units?level=commune").await;
    let commune = commune_units.body["items"][0]["id"].as_str().unwrap().to_string();
    let report = officer
        .post(
            "/api/v1/stats/reports",
            &json!({"unit_id": commune, "kind": "annual", "year": year.parse::<i32>().unwrap(), "cutoff_date": hoagiai::db::today()}),
        )
        .await;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        res.body["id"].as_str().unwrap(),
        res.body["client_secret"].as_str().unwrap()
    );
    let token = app.anon().send("POST", "/api/v1/auth/token", &[], Some(("application/x-www-form-urlencoded", form.into_bytes()))).await;
    let machine = app.with_token(token.body["access_token"].as_str().unwrap());
    let mut answers = Vec::new();
    for client in [&officer, &machine] {
        for by in ["", "&by=unit", "&by=category", "&by=basis", "&by=month"] {
            answers.push(client.get(&format!("/api/v1/stats/indicators?period={year}{by}")).await.text);
            answers.push(
                client.send("GET", &format!("/api/v1/stats/indicators?period={year}{by}"), &[("accept", "text/csv")], None).await.text,
            );
        }
        answers.push(client.get("/api/v1/stats/cases?limit=1000").await.text);
        answers.push(client.get("/api/v1/stats/reports").await.text);
        // The machine client is registered for a village: it asks for its own unit.
        let unit = if std::ptr::eq(client, &officer) { format!("&unit_id={commune}") } else { String::new() };
        let access = client.get(&format!("/api/v1/stats/access-to-law?year={year}{unit}")).await;
        assert_eq!(access.status, StatusCode::OK, "{}", access.text);
        answers.push(access.text);
    }
    // The officer's funding and review answers hold mediators' names, never the parties' (the
    // demo's name generator gives some parties a mediator's name: those cannot be told apart).
    let mediators = officer.get("/api/v1/mediators?limit=100").await;
    let mediator_names: Vec<String> =
        mediators.body["items"].as_array().unwrap().iter().map(|m| m["full_name"].as_str().unwrap().to_string()).collect();
    let party_only: Vec<&String> = names.iter().filter(|n| !mediator_names.contains(n)).collect();
    assert!(party_only.len() > 40);
    let mut officer_answers = Vec::new();
    for path in [
        "/api/v1/funding/fee-suggestions?from=2000-01-01&to=2001-12-31",
        "/api/v1/review/year-end?year=",
        "/api/v1/funding/confirmation-lists",
        "/api/v1/funding/summary?year=",
    ] {
        let path = if path.ends_with('=') { format!("{path}{year}") } else { path.to_string() };
        let res = officer.get(&path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.text);
        officer_answers.push(res.text);
    }
    for answer in &officer_answers {
        for name in &party_only {
            assert!(!answer.contains(name.as_str()), "a party's name ({name}) in a funding or review answer");
        }
        for summary in &summaries {
            assert!(!answer.contains(summary.as_str()), "a narrative in a funding or review answer");
        }
    }
    answers.push(machine.get(&format!("/api/v1/stats/reports/{}?format=csv", report.body["id"].as_str().unwrap())).await.text);
    for answer in &answers {
        for name in &names {
            assert!(!answer.contains(name.as_str()), "a party's name ({name}) in a statistics answer");
        }
        for summary in &summaries {
            assert!(!answer.contains(summary.as_str()), "a narrative in a statistics answer");
        }
    }
}

/// After any sequence of roster writes — teams founded, re-dated and dissolved, mediators joining,
/// leaving, changing teams and what they are — the monthly roster rollups equal what the roster
/// says, and every whole-month figure read from them equals the one counted from the roster.
async fn roster_rollups_survive_random_roster_writes(app: TestApp) {
    use diesel::prelude::*;
    use hoagiai::db::schema::memberships;
    use hoagiai::mediators::dto::*;
    use hoagiai::mediators::store as mediators;
    use hoagiai::teams::dto::{CreateTeam, UpdateTeam};
    use hoagiai::teams::store as teams;
    let w = world(app).await;
    let officer = walk_officer();
    let villages: Vec<uuid::Uuid> = [&w.tree.village_a, &w.tree.village_b].iter().map(|v| v.parse().unwrap()).collect();
    let mut roll = dice(0x0105_7e55_0000_2026);
    let mut team_ids: Vec<String> = vec![w.team.clone()];
    let mut mediator_ids: Vec<String> = vec![w.mediator_a_id.clone(), w.mediator_b_id.clone(), w.leader_id.clone()];
    let mut refused = 0;
    for step in 0..160 {
        let officer = officer.clone();
        let choice = roll(6);
        let team = team_ids[roll(team_ids.len() as u64) as usize].clone();
        let mediator = mediator_ids[roll(mediator_ids.len() as u64) as usize].clone();
        let village = villages[roll(2) as usize];
        let (a, b, flag) = (roll(700) as i64, roll(400) as i64, roll(8));
        let result = w
            .app
            .db
            .write(move |c| {
                let day = |n: i64| hoagiai::db::today() - chrono::Duration::days(n);
                match choice {
                    0 => {
                        let input = CreateTeam {
                            id: None,
                            name: format!("Tổ hòa giải {step}"),
                            unit_id: village,
                            founded_on: day(a),
                            notes: None,
                            predecessor_ids: vec![],
                        };
                        teams::create(c, &officer, input).map(|(t, _)| (Some(t.id), None))
                    }
                    1 => {
                        let input = CreateMediator {
                            id: None,
                            full_name: format!("Hòa giải viên {step}"),
                            sex: if flag % 2 == 0 { Sex::Female } else { Sex::Male },
                            birth_year: None,
                            ethnic_minority: flag % 3 == 0,
                            unit_id: village,
                            phone: None,
                            legal_training: Some([LegalTraining::None, LegalTraining::Basic, LegalTraining::Degree][(flag % 3) as usize]),
                            occupation: None,
                            membership: Some(NewMembership {
                                team_id: team.parse().unwrap(),
                                role: MembershipRole::Member,
                                recognition_decision: None,
                                recognition_date: None,
                                from_date: day(a),
                            }),
                        };
                        mediators::create(c, &officer, input).map(|(m, _)| (None, Some(m.id)))
                    }
                    2 => {
                        // End the mediator's open membership some days after it began (maybe in the future).
                        let open: Option<(String, chrono::NaiveDate)> = memberships::table
                            .filter(memberships::mediator_id.eq(&mediator))
                            .filter(memberships::to_date.is_null())
                            .select((memberships::id, memberships::from_date))
                            .first(c)
                            .optional()?;
                        let Some((id, from)) = open else { return Ok((None, None)) };
                        let end = EndMembership {
                            to_date: from + chrono::Duration::days(b),
                            end_reason: MembershipEndReason::OwnWish,
                            end_decision: None,
                            end_decision_date: None,
                            removal_request: None,
                            removal_reason: None,
                        };
                        mediators::end_membership(c, &officer, &mediator, &id, end).map(|_| (None, None))
                    }
                    3 => {
                        let m = NewMembership {
                            team_id: team.parse().unwrap(),
                            role: MembershipRole::Member,
                            recognition_decision: None,
                            recognition_date: None,
                            from_date: day(a.min(300)),
                        };
                        mediators::add_membership(c, &officer, &mediator, m).map(|_| (None, None))
                    }
                    4 => {
                        let current = mediators::find(c, &officer, &mediator)?;
                        let patch = UpdateMediator {
                            full_name: None,
                            sex: Some(if current.sex == "female" { Sex::Male } else { Sex::Female }),
                            birth_year: None,
                            ethnic_minority: Some(flag % 2 == 0),
                            unit_id: None,
                            phone: None,
                            legal_training: Some(if current.legal_training == "none" { LegalTraining::Basic } else { LegalTraining::None }),
                            occupation: None,
                        };
                        mediators::update(c, &officer, &mediator, current.version, patch).map(|_| (None, None))
                    }
                    _ => {
                        let current = teams::find(c, &officer, &team)?;
                        let patch = UpdateTeam {
                            name: None,
                            founded_on: (flag < 4).then(|| day(a)),
                            dissolved_on: (flag >= 2).then(|| (flag < 6).then(|| day(b))),
                            notes: None,
                            predecessor_ids: None,
                        };
                        teams::update(c, &officer, &team, current.version, patch).map(|_| (None, None))
                    }
                }
            })
            .await;
        match result {
            Ok((t, m)) => {
                team_ids.extend(t);
                mediator_ids.extend(m);
            }
            // Refused writes (overlapping memberships, a dissolution before the founding) change nothing.
            Err(e) => {
                assert!(e.status.is_client_error(), "step {step}: {e}");
                refused += 1;
            }
        }
    }
    assert!(refused < 120, "the walk was mostly refused ({refused} of 160)");
    let mut conn = w.app.db.get().unwrap();
    let differences = hoagiai::stats::counters::check(&mut conn).unwrap();
    assert!(differences.is_empty(), "{differences:#?}");
    let system = hoagiai::auth::Actor::system();
    let today = hoagiai::db::today();
    let mut periods: Vec<String> = (0..26).map(|m| (today - chrono::Duration::days(30 * m)).format("%Y-%m").to_string()).collect();
    for y in [today.format("%Y").to_string(), (today - chrono::Duration::days(365)).format("%Y").to_string()] {
        periods.extend([format!("{y}-H1"), format!("{y}-H2"), y]);
    }
    let mut seen_mediators = 0;
    for period in periods {
        for unit in [Some(w.tree.commune_a.parse().unwrap()), Some(w.tree.province.parse().unwrap()), None] {
            let q = IndicatorQuery { unit_id: unit, period: period.clone(), by: None, level: None, boundaries: None, format: None };
            let monthly = hoagiai::stats::store::indicators_with(&mut conn, &system, &q, true).unwrap();
            let counted = hoagiai::stats::store::indicators_with(&mut conn, &system, &q, false).unwrap();
            assert_eq!(monthly.figures.teams, counted.figures.teams, "{period} {unit:?}");
            assert_eq!(monthly.figures.mediators, counted.figures.mediators, "{period} {unit:?}");
            seen_mediators = seen_mediators.max(counted.figures.mediators.total);
        }
    }
    assert!(seen_mediators > 5, "the walk left almost nobody serving ({seen_mediators})");
}

/// An upgrade: a database from before the roster rollups and the shards gets them on its next
/// start, filled from what it holds (the down migrations run too, with data in the tables).
async fn rollups_are_filled_when_their_migrations_arrive(app: TestApp) {
    use diesel::prelude::*;
    use diesel_migrations::MigrationHarness;
    use hoagiai::db::{migrations, DbConn};
    let w = world(app).await;
    for _ in 0..3 {
        create(&w.leader, &new_case(&w.team)).await;
    }
    let mut conn = w.app.db.get().unwrap();
    let before = hoagiai::stats::store::indicators(
        &mut conn,
        &hoagiai::auth::Actor::system(),
        &IndicatorQuery {
            unit_id: None,
            period: hoagiai::db::today().format("%Y").to_string(),
            by: None,
            level: None,
            boundaries: None,
            format: None,
        },
    )
    .unwrap();
    // Back to before the roster rollups: every later migration's down, newest first (the shards,
    // the log-book line counters, out of scope apart from received, the yearly rollups — filled
    // by their migration from the monthly rows — and whatever came after).
    loop {
        let reverted = match &mut *conn {
            DbConn::Sqlite(c) => c.revert_last_migration(migrations::SQLITE).map(|v| v.to_string()),
            DbConn::Pg(c) => c.revert_last_migration(migrations::POSTGRES).map(|v| v.to_string()),
        }
        .expect("down migration");
        if reverted.contains("000008") {
            break;
        }
    }
    let applied = migrations::run_pending(&mut conn).unwrap();
    assert!(
        applied.iter().any(|m| m.ends_with("_roster_rollups"))
            && applied.iter().any(|m| m.ends_with("_case_rollup_shards"))
            && applied.iter().any(|m| m.ends_with("_logbook_lines"))
            && applied.iter().any(|m| m.ends_with("_out_of_scope_apart"))
            && applied.iter().any(|m| m.ends_with("_case_rollup_years")),
        "{applied:?}"
    );
    // The line counters start from the books as they are.
    let last: Vec<i32> =
        hoagiai::db::schema::logbook_lines::table.select(hoagiai::db::schema::logbook_lines::last_line).load(&mut *conn).unwrap();
    assert_eq!(last, vec![3]);
    hoagiai::stats::fill_empty_rollups(&mut conn).unwrap();
    let filled: i64 = hoagiai::db::schema::roster_rollups::table.count().get_result(&mut *conn).unwrap();
    assert!(filled > 0);
    assert_eq!(hoagiai::stats::counters::check(&mut conn).unwrap(), Vec::<String>::new());
    let after = hoagiai::stats::store::indicators(
        &mut conn,
        &hoagiai::auth::Actor::system(),
        &IndicatorQuery {
            unit_id: None,
            period: hoagiai::db::today().format("%Y").to_string(),
            by: None,
            level: None,
            boundaries: None,
            format: None,
        },
    )
    .unwrap();
    assert_eq!(before.figures, after.figures);
    assert!(after.figures.cases.received >= 3 && after.figures.mediators.total >= 3);
    // A database upgraded before the filling worked: its rollups are empty; the next start fills them.
    diesel::delete(hoagiai::db::schema::case_rollups::table).execute(&mut *conn).unwrap();
    diesel::delete(hoagiai::db::schema::roster_rollups::table).execute(&mut *conn).unwrap();
    assert!(!hoagiai::stats::counters::check(&mut conn).unwrap().is_empty());
    hoagiai::stats::fill_empty_rollups(&mut conn).unwrap();
    assert_eq!(hoagiai::stats::counters::check(&mut conn).unwrap(), Vec::<String>::new());
}

/// Opens a case of `category` received on `received` and, as `steps` say, takes it to its end:
/// `("assign", day)`, `("agreement", day)`, `("mediator_ended", day)` or `("out_of_scope", day)`.
async fn case_on(w: &World, received: &str, category: &str, steps: &[(&str, &str)]) -> String {
    let mut body = new_case(&w.team);
    body["received_on"] = json!(received);
    body["category"] = json!(category);
    let c = create(&w.leader, &body).await;
    let id = c.body["id"].as_str().unwrap().to_string();
    let p = format!("/api/v1/cases/{id}");
    for (step, day) in steps {
        let (path, body) = match *step {
            "assign" => ("assignments", json!({"mediator_id": w.mediator_a_id, "chosen_by": "leader", "assigned_on": day})),
            "agreement" => ("end", json!({"end_reason": "agreement", "agreement_text": "Thỏa thuận", "ended_on": day})),
            "mediator_ended" => (
                "end",
                json!({"end_reason": "mediator_ended", "ended_on": day, "demands": [{"party_id": c.body["parties"][0]["id"], "demand": "Yêu cầu"}]}),
            ),
            _ => ("out-of-scope", json!({"reason": "Có dấu hiệu tội phạm", "decided_on": day})),
        };
        let res = w.leader.post(&format!("{p}/{path}"), &body).await;
        assert_eq!(res.status, StatusCode::OK, "{step} {day}: {}", res.text);
    }
    id
}

/// received = successful + unsuccessful + in progress, with out of scope beside it.
fn assert_identity(c: &Value, what: &str) {
    let n = |k: &str| c[k].as_i64().unwrap_or_else(|| panic!("{what}: no {k} in {c}"));
    assert_eq!(n("received"), n("successful") + n("unsuccessful") + n("in_progress_at_end"), "{what}: {c}");
}

/// A year of a team's cases written down by hand, checked in every place figures come from:
/// indicators (total, breakdowns, monthly rollups and ranges of days counted from the cases, CSV), frozen reports (counts and both
/// rates, with estimates), the year-end report and the log book's Part II. Out-of-scope cases are
/// never received, and count on the day they were found out of scope (here entered months later).
///
/// | case | received   | category        | what happened                               |
/// | A    | 2024-12-10 | land            | assigned 12-11, successful 2025-01-20        |
/// | B    | 2024-12-15 | land            | out of scope on 2025-01-05                  |
/// | C    | 2025-02-01 | family_marriage | assigned 02-02, unsuccessful 2025-03-01      |
/// | D    | 2025-04-10 | land            | assigned 04-11, successful 2025-05-01        |
/// | E    | 2025-06-01 | neighbourhood   | assigned 06-02, open                        |
/// | F    | 2025-06-20 | land            | out of scope on 2025-06-25                  |
/// | G    | 2025-11-01 | land            | assigned 11-02, successful 2026-01-10        |
async fn received_is_successful_unsuccessful_and_in_progress_everywhere(app: TestApp) {
    let w = world(app).await;
    case_on(&w, "2024-12-10", "land", &[("assign", "2024-12-11"), ("agreement", "2025-01-20")]).await;
    case_on(&w, "2024-12-15", "land", &[("out_of_scope", "2025-01-05")]).await;
    case_on(&w, "2025-02-01", "family_marriage", &[("assign", "2025-02-02"), ("mediator_ended", "2025-03-01")]).await;
    case_on(&w, "2025-04-10", "land", &[("assign", "2025-04-11"), ("agreement", "2025-05-01")]).await;
    case_on(&w, "2025-06-01", "neighbourhood", &[("assign", "2025-06-02")]).await;
    case_on(&w, "2025-06-20", "land", &[("out_of_scope", "2025-06-25")]).await;
    case_on(&w, "2025-11-01", "land", &[("assign", "2025-11-02"), ("agreement", "2026-01-10")]).await;

    let figures = |period: &str, extra: &str| {
        let (officer, url) = (w.officer.clone(), format!("/api/v1/stats/indicators?period={period}{extra}"));
        async move {
            let res = officer.get(&url).await;
            assert_eq!(res.status, StatusCode::OK, "{url}: {}", res.text);
            res.body
        }
    };
    let counts = |c: &Value| -> Vec<i64> {
        ["carried_over", "new", "received", "successful", "unsuccessful", "in_progress_at_end", "out_of_scope"]
            .iter()
            .map(|k| c[*k].as_i64().unwrap())
            .collect()
    };
    // 2025: carried over A; new C, D, E, G (F was out of scope); received 5 = 2 (A, D) + 1 (C) +
    // 2 (E, G: G ended in 2026); out of scope B (5 January) and F.
    let year = figures("2025", "").await;
    let c = &year["figures"]["cases"];
    assert_eq!(counts(c), vec![1, 4, 5, 2, 1, 2, 2], "{c}");
    assert_eq!((c["success_rate_of_concluded"].as_f64(), c["success_rate_of_received"].as_f64()), (Some(0.6667), Some(0.4)));
    // The same as a range of days (whole months: from the rollups), and counted from the cases
    // (a range that is not whole months: 31 December 2024 to 31 December 2025 adds no event).
    let days = figures("2025-01-01..2025-12-31", "").await;
    assert_eq!(days["figures"]["cases"], year["figures"]["cases"]);
    let from_cases = figures("2024-12-31..2025-12-31", "").await;
    assert_eq!(from_cases["figures"]["cases"], year["figures"]["cases"]);
    // H1: carried A; new C, D, E; received 4 = 2 + 1 + 1; out of scope B and F.
    let h1 = figures("2025-H1", "").await;
    assert_eq!(counts(&h1["figures"]["cases"]), vec![1, 3, 4, 2, 1, 1, 2]);
    assert_eq!(h1["figures"]["cases"]["success_rate_of_received"], 0.5);
    // 2024: A received and open; B, found out of scope in 2025, was never received.
    assert_eq!(counts(&figures("2024", "").await["figures"]["cases"]), vec![0, 1, 1, 0, 0, 1, 0]);
    // The first ten days of 2025: A carried in and open; B out of scope on the 5th.
    assert_eq!(counts(&figures("2025-01-01..2025-01-10", "").await["figures"]["cases"]), vec![1, 0, 1, 0, 0, 1, 1]);
    // December 2024 carries A alone into 2025: B is not carried anywhere.
    assert_eq!(counts(&figures("2025-01", "").await["figures"]["cases"]), vec![1, 0, 1, 1, 0, 0, 1]);

    // Every breakdown line keeps the identity; land by hand: carried A, new D and G, received 3
    // = 2 successful (A, D) + 1 in progress (G); out of scope B and F.
    for by in ["category", "basis", "month", "unit&level=village"] {
        for period in ["2025", "2025-01-01..2025-12-31"] {
            let res = figures(period, &format!("&by={by}")).await;
            for line in res["breakdown"].as_array().unwrap() {
                assert_identity(&line["cases"], &format!("{period} by {by}: {}", line["key"]));
            }
            assert_identity(&res["figures"]["cases"], &format!("{period} by {by}"));
        }
    }
    let by_category = figures("2025", "&by=category").await;
    let line = |key: &str| by_category["breakdown"].as_array().unwrap().iter().find(|l| l["key"] == key).unwrap()["cases"].clone();
    assert_eq!(counts(&line("land")), vec![1, 2, 3, 2, 0, 1, 2]);
    assert_eq!(counts(&line("family_marriage")), vec![0, 1, 1, 0, 1, 0, 0]);
    assert_eq!(counts(&line("neighbourhood")), vec![0, 1, 1, 0, 0, 1, 0]);
    let by_month = figures("2025", "&by=month").await;
    let months: Vec<i64> = by_month["breakdown"].as_array().unwrap().iter().map(|l| l["cases"]["out_of_scope"].as_i64().unwrap()).collect();
    assert_eq!(months, vec![1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0], "out of scope on the days it was found so");

    // CSV: the same figures, the identity on every line.
    let csv = w.officer.send("GET", "/api/v1/stats/indicators?period=2025&by=category", &[("accept", "text/csv")], None).await;
    let mut reader = csv::ReaderBuilder::new().from_reader(csv.text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    for record in reader.records() {
        let r = record.unwrap();
        let n = |name: &str| r[col(name)].parse::<i64>().unwrap();
        assert_eq!(n("received"), n("successful") + n("unsuccessful") + n("in_progress_at_end"), "{r:?}");
        if &r[0] == "total" {
            assert_eq!((n("received"), n("out_of_scope"), &r[col("success_rate_of_received")]), (5, 2, "0.4"));
        }
    }

    // Frozen reports. The official annual report: the year's figures and both rates.
    let official =
        w.officer.post("/api/v1/stats/reports", &json!({"unit_id": w.tree.commune_a, "kind": "annual_official", "year": 2025})).await;
    assert_eq!(official.status, StatusCode::CREATED, "{}", official.text);
    let report_line = |r: &Value, code: &str| r["lines"].as_array().unwrap().iter().find(|l| l["code"] == code).unwrap().clone();
    let column = |r: &Value, column: &str| -> Vec<Value> {
        ["received", "successful", "unsuccessful", "in_progress", "out_of_scope", "success_rate_of_concluded", "success_rate_of_received"]
            .iter()
            .map(|code| report_line(r, code)[column].clone())
            .collect()
    };
    assert_eq!(column(&official.body, "actual"), [json!(5), json!(2), json!(1), json!(2), json!(2), json!(0.6667), json!(0.4)]);
    assert_eq!(report_line(&official.body, "success_rate_of_received")["unit"], "rate");
    // The annual report: actual to 31 October (carried A; new C, D, E; received 4 = 2 + 1 + 1;
    // out of scope B, F), plus estimates for November and December.
    let estimated = w
        .officer
        .post(
            "/api/v1/stats/reports",
            &json!({"unit_id": w.tree.commune_a, "kind": "annual", "year": 2025, "cutoff_date": "2025-10-31",
                    "estimates": {"new": 2, "successful": 1, "unsuccessful": 1, "out_of_scope": 1}}),
        )
        .await;
    assert_eq!(estimated.status, StatusCode::CREATED, "{}", estimated.text);
    assert_eq!(column(&estimated.body, "actual"), [json!(4), json!(2), json!(1), json!(1), json!(2), json!(0.6667), json!(0.5)]);
    // Estimated: 2 new = 1 successful + 1 unsuccessful + 0 in progress; 1 out of scope apart.
    assert_eq!(column(&estimated.body, "estimated"), [json!(2), json!(1), json!(1), json!(0), json!(1), Value::Null, Value::Null]);
    // Totals: 6 = 3 + 2 + 1, out of scope 3; the rates of the totals: 3 ÷ 5 and 3 ÷ 6.
    assert_eq!(column(&estimated.body, "total"), [json!(6), json!(3), json!(2), json!(1), json!(3), json!(0.6), json!(0.5)]);
    // Read again, the report is as frozen, and its CSV carries the rates.
    let again = w.officer.get(&format!("/api/v1/stats/reports/{}", estimated.body["id"].as_str().unwrap())).await;
    assert_eq!(again.body["lines"], estimated.body["lines"]);
    let report_csv = w.officer.get(&format!("/api/v1/stats/reports/{}?format=csv", estimated.body["id"].as_str().unwrap())).await;
    assert!(
        report_csv.text.contains("success_rate_of_received,\"Tỷ lệ hòa giải thành (trên tổng số vụ, việc tiếp nhận)\",0.5,,0.5"),
        "{}",
        report_csv.text
    );

    // The year-end report reads the same figures.
    let year_end = w.officer.get(&format!("/api/v1/review/year-end?year=2025&unit_id={}", w.tree.commune_a)).await;
    assert_eq!(year_end.status, StatusCode::OK, "{}", year_end.text);
    let plan = |code: &str| year_end.body["plan"].as_array().unwrap().iter().find(|l| l["code"] == code).unwrap()["value"].clone();
    assert_eq!(
        [
            plan("cases_received"),
            plan("cases_successful"),
            plan("cases_unsuccessful"),
            plan("cases_in_progress"),
            plan("cases_out_of_scope")
        ],
        [json!(5.0), json!(2.0), json!(1.0), json!(2.0), json!(2.0)]
    );
    assert_eq!(plan("success_rate_of_received"), json!(0.4));

    // The log book's Part II for 2025: the cases received that year (C, D, E, F, G): received 4
    // = 1 (D) + 1 (C) + 2 (E, and G still open on 31 December); F out of scope apart.
    let book = w.leader.get(&format!("/api/v1/teams/{}/logbook?year=2025", w.team)).await;
    assert_eq!(book.status, StatusCode::OK, "{}", book.text);
    let part_two = |book: &Value, key: &str| -> Vec<i64> {
        let l = if key == "total" {
            book["summary"]["total"].clone()
        } else {
            book["summary"]["by_category"].as_array().unwrap().iter().find(|l| l["category"] == key).unwrap().clone()
        };
        ["received", "successful", "unsuccessful", "in_progress", "out_of_scope"].iter().map(|k| l[*k].as_i64().unwrap()).collect()
    };
    assert_eq!(book.body["rows"].as_array().unwrap().len(), 5);
    assert_eq!(part_two(&book.body, "total"), vec![4, 1, 1, 2, 1]);
    assert_eq!(part_two(&book.body, "land"), vec![2, 1, 0, 1, 1]);
    // 2024's book: A open on 31 December; B, found out of scope in 2025, in neither column.
    let book_2024 = w.leader.get(&format!("/api/v1/teams/{}/logbook?year=2024", w.team)).await;
    assert_eq!(part_two(&book_2024.body, "total"), vec![1, 0, 0, 1, 0]);

    let differences = hoagiai::stats::counters::check(&mut w.app.db.get().unwrap()).unwrap();
    assert!(differences.is_empty(), "{differences:?}");
}

/// Small cells (docs/statistics.md): a statistics client (`stats`) of the commune and its officer
/// ask the same question. The data set, by hand: in the last 40 days one land case (received 30
/// days ago, open) and five family cases (received 20 days ago, open): received 6 = new 6 = in
/// progress 6. By category: land 1 · family 5 · the other four 0. The roster: the world's three
/// mediators (one woman) and one more, of an ethnic minority: total 4, women 1, ethnic minority 1,
/// with legal training 4.
///
/// The officer sees every count. The client: land's 1 (received, new, in progress) is suppressed
/// (primary); family's 5 would give it back as 6 − 5 − 0 − 0 − 0 − 0, so it goes too (secondary:
/// the smallest non-zero other line); the total 6 stays, and so do the zeros. Women 1 and ethnic
/// minority 1 are suppressed; total 4 and legal training 4 (4 − 4 = 0 leaves nobody) stay.
async fn small_cells_are_suppressed_for_statistics_clients(app: TestApp) {
    let w = world(app).await;
    crate::teams::mediator(&w.officer, &w.tree.village_a, Some(&w.team), "Lò Văn Páo", "male", "member").await;
    let res = w.officer.get("/api/v1/mediators?limit=10").await;
    let pao = res.body["items"].as_array().unwrap().iter().find(|m| m["full_name"] == "Lò Văn Páo").unwrap().clone();
    let etag = w.officer.get(&format!("/api/v1/mediators/{}", pao["id"].as_str().unwrap())).await.etag();
    let res =
        w.officer.patch(&format!("/api/v1/mediators/{}", pao["id"].as_str().unwrap()), &etag, &json!({"ethnic_minority": true})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    for (ago, category) in [
        (30, "land"),
        (20, "family_marriage"),
        (20, "family_marriage"),
        (20, "family_marriage"),
        (20, "family_marriage"),
        (20, "family_marriage"),
    ] {
        let mut body = new_case(&w.team);
        body["received_on"] = json!(days_ago(ago));
        body["category"] = json!(category);
        create(&w.leader, &body).await;
    }
    let (stats, _) = w.app.user(Role::Stats, Some(&w.tree.commune_a)).await;
    // Case counts are small cells in a village (where they could point at a household); people are
    // counted small everywhere. The team's village by category:
    let url = format!("/api/v1/stats/indicators?unit_id={}&period={}..{}&by=category", w.tree.village_a, days_ago(40), days_ago(0));
    let line = |body: &Value, key: &str| body["breakdown"].as_array().unwrap().iter().find(|l| l["key"] == key).unwrap()["cases"].clone();

    let officer = w.officer.get(&url).await;
    assert_eq!(officer.status, StatusCode::OK, "{}", officer.text);
    let (land, family) = (line(&officer.body, "land"), line(&officer.body, "family_marriage"));
    assert_eq!(
        (land["received"].as_i64(), land["in_progress_at_end"].as_i64(), land["suppressed"].as_bool()),
        (Some(1), Some(1), Some(false))
    );
    assert_eq!(family["received"], 5);
    let m = &officer.body["figures"]["mediators"];
    assert_eq!((m["total"].as_i64(), m["women"].as_i64(), m["ethnic_minority"].as_i64()), (Some(4), Some(1), Some(1)));
    assert_eq!(officer.body["min_cell"], Value::Null);

    let theirs = stats.get(&url).await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.text);
    assert_eq!(theirs.body["min_cell"], 3);
    let (land, family) = (line(&theirs.body, "land"), line(&theirs.body, "family_marriage"));
    for f in ["received", "new", "in_progress_at_end"] {
        assert_eq!((&land[f], &family[f]), (&Value::Null, &Value::Null), "{f}: {}", theirs.text);
    }
    assert_eq!((land["suppressed"].as_bool(), family["suppressed"].as_bool()), (Some(true), Some(true)));
    assert_eq!((&land["success_rate_of_received"], &family["success_rate_of_received"]), (&Value::Null, &Value::Null));
    let neighbourhood = line(&theirs.body, "neighbourhood");
    assert_eq!((neighbourhood["received"].as_i64(), neighbourhood["suppressed"].as_bool()), (Some(0), Some(false)));
    let total = &theirs.body["figures"]["cases"];
    assert_eq!((total["received"].as_i64(), total["new"].as_i64(), total["in_progress_at_end"].as_i64()), (Some(6), Some(6), Some(6)));
    let m = &theirs.body["figures"]["mediators"];
    assert_eq!((m["total"].as_i64(), m["with_legal_training"].as_i64()), (Some(4), Some(4)));
    assert_eq!((&m["women"], &m["ethnic_minority"], &m["suppressed"]), (&Value::Null, &Value::Null, &json!(true)));
    // No figure of the answer gives the 1 back: the visible lines add up to less than the total.
    let visible: i64 = theirs.body["breakdown"].as_array().unwrap().iter().filter_map(|l| l["cases"]["received"].as_i64()).sum();
    assert_eq!(visible, 0);

    // The two answers never share a cached answer or an ETag, though scope and query are the same.
    assert_ne!(officer.etag(), theirs.etag());
    let again = stats.send("GET", &url, &[("if-none-match", &officer.etag())], None).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.body["breakdown"], theirs.body["breakdown"]);
    assert_eq!(w.officer.get(&url).await.body["breakdown"], officer.body["breakdown"]);
    // CSV: empty cells where JSON has null.
    let csv = stats.send("GET", &url, &[("accept", "text/csv")], None).await;
    let land_line = csv.text.lines().find(|l| l.starts_with("land,")).unwrap().to_string();
    assert_eq!(land_line, "land,Đất đai,,,0,0,0,0,,,");
    let csv = w.officer.send("GET", &url, &[("accept", "text/csv")], None).await;
    assert!(csv.text.lines().any(|l| l == "land,Đất đai,1,1,0,0,0,0,1,,0"), "{}", csv.text);

    // The commune's counts, as the law has communes report them up, are exact; its people are not.
    let commune = stats.get(&format!("/api/v1/stats/indicators?period={}..{}&by=category", days_ago(40), days_ago(0))).await;
    assert_eq!(line(&commune.body, "land")["received"], 1, "{}", commune.text);
    assert_eq!(line(&commune.body, "family_marriage")["received"], 5);
    let m = &commune.body["figures"]["mediators"];
    assert_eq!((&m["women"], &m["ethnic_minority"]), (&Value::Null, &Value::Null));

    // The commune's submitted report follows the same rule in every format: its people counts of 1
    // are suppressed for the client (and its raw figures left out), shown to the officer.
    let year = chrono::Datelike::year(&days_ago(20));
    let cutoff = hoagiai::db::today().min(chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap());
    let report = w
        .officer
        .post("/api/v1/stats/reports", &json!({"unit_id": w.tree.commune_a, "kind": "annual", "year": year, "cutoff_date": cutoff}))
        .await;
    assert_eq!(report.status, StatusCode::CREATED, "{}", report.text);
    let path = format!("/api/v1/stats/reports/{}", report.body["id"].as_str().unwrap());
    let report_line = |body: &Value, code: &str| body["lines"].as_array().unwrap().iter().find(|l| l["code"] == code).unwrap().clone();
    let officer = w.officer.get(&path).await;
    assert_eq!(report_line(&officer.body, "mediators_women")["actual"], 1);
    assert_eq!(officer.body["actual"]["mediators"]["ethnic_minority"], 1);
    let theirs = stats.get(&path).await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.text);
    for code in ["mediators_women", "mediators_ethnic_minority"] {
        let l = report_line(&theirs.body, code);
        assert_eq!((&l["actual"], &l["total"], &l["suppressed"]), (&Value::Null, &Value::Null, &json!(true)), "{code}: {}", theirs.text);
    }
    assert_eq!(report_line(&theirs.body, "mediators")["actual"], 4);
    assert_eq!((theirs.body.get("actual"), &theirs.body["min_cell"]), (None, &json!(3)));
    let listed = stats.get(&format!("/api/v1/stats/reports?year={year}")).await;
    assert_eq!(report_line(&listed.body[0], "mediators_women")["actual"], Value::Null, "{}", listed.text);
    let csv = stats.get(&format!("{path}?format=csv")).await;
    assert!(csv.text.lines().any(|l| l.starts_with("mediators_women,") && l.ends_with(",,")), "{}", csv.text);
}

/// Case facts give a statistics client the month a case was received and ended, never the day;
/// an officer gets both.
async fn statistics_clients_get_the_month_of_case_facts(app: TestApp) {
    let w = world(app).await;
    let mut body = new_case(&w.team);
    body["received_on"] = json!("2025-03-14");
    let case = create(&w.leader, &body).await;
    let id = case.body["id"].as_str().unwrap();
    let res = w.leader.post(&format!("/api/v1/cases/{id}/out-of-scope"), &json!({"reason": "Hình sự", "decided_on": "2025-04-02"})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.text);
    let (stats, _) = w.app.user(Role::Stats, Some(&w.tree.commune_a)).await;
    let theirs = stats.get("/api/v1/stats/cases").await;
    assert_eq!(theirs.status, StatusCode::OK, "{}", theirs.text);
    let fact = &theirs.body["items"][0];
    assert_eq!((&fact["received_on"], &fact["received_month"]), (&Value::Null, &json!("2025-03")), "{}", theirs.text);
    assert_eq!(fact["ended_on"], Value::Null);
    assert!(!theirs.text.contains("2025-03-14"), "{}", theirs.text);
    let officer = w.officer.get("/api/v1/stats/cases").await;
    let fact = &officer.body["items"][0];
    assert_eq!((&fact["received_on"], &fact["received_month"]), (&json!("2025-03-14"), &json!("2025-03")), "{}", officer.text);
    assert_eq!((&fact["ended_on"], &fact["ended_month"]), (&json!("2025-04-02"), &json!("2025-04")));
    assert_eq!(theirs.body["items"][0]["ended_month"], "2025-04");
    assert!(!theirs.text.contains("2025-04-02"), "{}", theirs.text);
}
