-- The access-to-law standard (chuẩn tiếp cận pháp luật) for communes, as data: which mediation
-- indicators each legal basis has, how each is measured from the records, its threshold, and the
-- evidence it rests on. Versioned by legal basis and assessment years.
-- Keep in step with ../../postgres/2026-11-27-000006_access_to_law/up.sql.

CREATE TABLE access_standards (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    from_year INTEGER NOT NULL,
    to_year INTEGER,
    definition TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL,
    CHECK (to_year IS NULL OR to_year >= from_year)
);

INSERT INTO access_standards (code, name, legal_basis, from_year, to_year, definition, updated_at) VALUES (
    'qd_25_2021',
    'Xã đạt chuẩn tiếp cận pháp luật (2021–2025): chỉ tiêu về hòa giải ở cơ sở',
    'Quyết định số 25/2021/QĐ-TTg; Thông tư số 09/2021/TT-BTP',
    2021, 2025,
    '{"pass_rule": "all", "note": "Chưa đối chiếu được nguyên văn chỉ tiêu và ngưỡng; ngưỡng tạm lấy theo kế hoạch của xã (hòa giải thành trên 90%, 100% hòa giải viên được bồi dưỡng). Quản trị viên thay bằng bản chính thức qua PUT /api/v1/stats/access-to-law/standards/{code}.", "indicators": [{"code": "cases_handled_per_rules", "vi": "Vụ, việc thuộc phạm vi hòa giải ở cơ sở được tiếp nhận, giải quyết đúng quy định", "en": "Cases within scope received and handled as the rules require", "metric": "cases_handled_per_rules", "threshold": 1.0, "points": null, "confirmed": false, "evidence": ["logbook", "reports"]}, {"code": "cases_successful", "vi": "Tỷ lệ vụ, việc hòa giải thành", "en": "Share of cases mediated successfully", "metric": "success_rate_of_concluded", "threshold": 0.9, "points": null, "confirmed": false, "evidence": ["logbook", "agreements", "reports"]}, {"code": "mediators_trained", "vi": "Hòa giải viên được bồi dưỡng kiến thức pháp luật, kỹ năng hòa giải", "en": "Mediators trained in law and mediation skills", "metric": "mediators_trained", "threshold": 1.0, "points": null, "confirmed": false, "evidence": ["trainings"]}, {"code": "funding_provided", "vi": "Kinh phí hỗ trợ hoạt động hòa giải ở cơ sở được bố trí, chi trả đúng quy định", "en": "Funding for mediation budgeted and paid as the rules require", "metric": "funding_paid_with_confirmation", "threshold": 1.0, "points": null, "confirmed": false, "evidence": ["funding", "confirmation_lists"]}]}',
    '2026-11-27 00:00:00'
);
INSERT INTO access_standards (code, name, legal_basis, from_year, to_year, definition, updated_at) VALUES (
    'qd_27_2025',
    'Xã, phường, đặc khu đạt chuẩn tiếp cận pháp luật (từ 2026): chỉ tiêu về hòa giải ở cơ sở',
    'Quyết định số 27/2025/QĐ-TTg; Thông tư số 15/2025/TT-BTP',
    2026, NULL,
    '{"pass_rule": "all", "note": "Chưa đối chiếu được nguyên văn chỉ tiêu và ngưỡng; ngưỡng tạm lấy theo kế hoạch của xã (hòa giải thành trên 90%, 100% hòa giải viên được bồi dưỡng). Quản trị viên thay bằng bản chính thức qua PUT /api/v1/stats/access-to-law/standards/{code}.", "indicators": [{"code": "cases_handled_per_rules", "vi": "Tỷ lệ mâu thuẫn, tranh chấp, vi phạm pháp luật thuộc phạm vi hòa giải ở cơ sở được hòa giải kịp thời theo quy định", "en": "Share of disputes within scope mediated promptly as the rules require", "metric": "cases_handled_per_rules", "threshold": 1.0, "points": null, "confirmed": false, "evidence": ["logbook", "reports"]}, {"code": "cases_successful", "vi": "Tỷ lệ vụ, việc hòa giải thành", "en": "Share of cases mediated successfully", "metric": "success_rate_of_concluded", "threshold": 0.9, "points": null, "confirmed": false, "evidence": ["logbook", "agreements", "reports"]}, {"code": "teams_compliant", "vi": "Tổ hòa giải được kiện toàn, đủ thành phần theo quy định", "en": "Teams formed and composed as the Law requires", "metric": "teams_compliant", "threshold": 1.0, "points": null, "confirmed": false, "evidence": ["teams"]}, {"code": "mediators_trained", "vi": "Hòa giải viên được bồi dưỡng kiến thức pháp luật, kỹ năng hòa giải", "en": "Mediators trained in law and mediation skills", "metric": "mediators_trained", "threshold": 1.0, "points": null, "confirmed": false, "evidence": ["trainings"]}, {"code": "funding_provided", "vi": "Kinh phí hỗ trợ hoạt động hòa giải ở cơ sở được bố trí, chi trả đúng quy định", "en": "Funding for mediation budgeted and paid as the rules require", "metric": "funding_paid_with_confirmation", "threshold": 1.0, "points": null, "confirmed": false, "evidence": ["funding", "confirmation_lists"]}]}',
    '2026-11-27 00:00:00'
);
