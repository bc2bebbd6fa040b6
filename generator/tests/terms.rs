//! One term, one rendering (`content/terms.yaml`): in a copy of the content, each repeated term
//! rendered otherwise stops the build with a message naming the file, the line, the field and
//! the rendering expected; and the unit names follow one pattern.

mod common;

use common::{copy_dir, options, repo, TempDir};

const DOC: &str = "documents/tzzb-2024-26/versions/2025-01-01";

/// Copies the content, replaces `find` — which must stand on exactly one line of `file` — by
/// `replace`, and returns the check's error and the line of the edit.
fn rendered_otherwise(file: &str, find: &str, replace: &str) -> (String, usize) {
    let tmp = TempDir::new("terms");
    let content = tmp.0.join("content");
    copy_dir(&repo().join("content"), &content);
    let path = content.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        text.matches(find).count(),
        1,
        "fixture: `{find}` must stand once in {file}"
    );
    let line = text.lines().position(|l| l.contains(find)).unwrap() + 1;
    std::fs::write(&path, text.replacen(find, replace, 1)).unwrap();
    let err = generator::check(&options(&content, &tmp.0.join("dist")))
        .expect_err("a term rendered otherwise must stop the build")
        .to_string();
    (err, line)
}

/// The error names the file and line of the edit, the field, the term and its rendering.
fn assert_names(err: &str, file: &str, line: usize, field: &str, zh: &str, en: &str) {
    let place = format!("content/{file}:{line}: field `{field}`");
    let reason = err
        .lines()
        .find(|l| l.contains(&place))
        .unwrap_or_else(|| panic!("no error at `{place}`:\n{err}"));
    assert!(
        reason.contains(&format!("the Chinese uses `{zh}`")),
        "{reason}"
    );
    assert!(
        reason.contains(&format!("must render it as `{en}`")),
        "{reason}"
    );
    assert!(reason.contains("content/terms.yaml:"), "{reason}");
}

#[test]
fn eligible_for_fu_he_tiao_jian() {
    let file = format!("{DOC}/plan.yaml");
    let (err, line) = rendered_otherwise(
        &file,
        "Support eligible cross-border e-commerce talent",
        "Support qualified cross-border e-commerce talent",
    );
    assert_names(&err, &file, line, "task-16.text.en", "符合条件", "eligible");
    assert!(err.contains("it writes `qualified`"), "{err}");
}

#[test]
fn livestreaming_for_zhi_bo() {
    let file = format!("{DOC}/plan.yaml");
    let (err, line) = rendered_otherwise(
        &file,
        "Develop cross-border e-commerce livestreaming platforms",
        "Develop cross-border e-commerce live-streaming platforms",
    );
    assert_names(
        &err,
        &file,
        line,
        "task-8.title.en",
        "直播",
        "livestreaming",
    );
}

#[test]
fn a_rejected_rendering_beside_the_right_one_is_an_error() {
    // 直播 rendered twice in one text: right once, the old way once.
    let file = format!("{DOC}/plan.yaml");
    let (err, line) = rendered_otherwise(
        &file,
        "“bonded warehouse + livestreaming” and “experience store + livestreaming”",
        "“bonded warehouse + livestreaming” and “experience store + live streaming”",
    );
    assert_names(&err, &file, line, "task-4.text.en", "直播", "livestreaming");
    assert!(err.contains("it writes `live streaming`"), "{err}");
}

#[test]
fn one_form_for_comprehensive_service_enterprises() {
    let file = format!("{DOC}/attachment.yaml");
    let (err, line) = rendered_otherwise(
        &file,
        "en: \"Cross-border e-commerce comprehensive service enterprises are encouraged",
        "en: \"Comprehensive cross-border e-commerce service enterprises are encouraged",
    );
    assert_names(
        &err,
        &file,
        line,
        "att-1-2-c.text.en",
        "跨境电商综合服务型企业",
        "cross-border e-commerce comprehensive service enterprise",
    );
}

#[test]
fn integrated_logistics_network_for_li_ti_hua() {
    let file = format!("{DOC}/plan.yaml");
    let (err, line) = rendered_otherwise(
        &file,
        "build an integrated road, sea, rail and air logistics network.",
        "build a multi-dimensional logistics network of road, sea, rail and air.",
    );
    assert_names(
        &err,
        &file,
        line,
        "task-10.text.en",
        "立体化物流网络",
        "integrated … logistics network",
    );
}

#[test]
fn moderately_ahead_of_demand_for_shi_du_chao_qian() {
    let file = format!("{DOC}/plan.yaml");
    let (err, line) = rendered_otherwise(
        &file,
        "industry standards moderately ahead of demand",
        "industry standards moderately ahead of need",
    );
    assert_names(
        &err,
        &file,
        line,
        "task-22.text.en",
        "适度超前",
        "moderately ahead of demand",
    );
}

#[test]
fn city_districts_for_shi_qu_in_the_calculator_too() {
    let (err, line) = rendered_otherwise(
        "site.yaml",
        "en: \"Total for the city districts (upper bound):\"",
        "en: \"City total (upper bound):\"",
    );
    assert_names(
        &err,
        "site.yaml",
        line,
        "calc_total_city.en",
        "市区",
        "city districts",
    );
}

#[test]
fn the_calculators_question_uses_the_glossarys_dishonesty_list() {
    let (err, line) = rendered_otherwise(
        "site.yaml",
        "en: \"On the list of seriously dishonest entities or in the joint-punishment catalogue?\"",
        "en: \"On the serious-dishonesty list or in the joint-punishment catalogue?\"",
    );
    assert_names(
        &err,
        "site.yaml",
        line,
        "calc_dishonest.en",
        "严重失信名单",
        "list of seriously dishonest entities",
    );
}

#[test]
fn joint_punishment_catalogue_for_lian_he_cheng_jie_mu_lu() {
    let (err, line) = rendered_otherwise(
        "site.yaml",
        "en: \"on the list of seriously dishonest entities or in the joint-punishment catalogue\"",
        "en: \"on the list of seriously dishonest entities or in the catalogue for joint punishment\"",
    );
    assert_names(
        &err,
        "site.yaml",
        line,
        "calc_dishonest_yes.en",
        "联合惩戒目录",
        "joint-punishment catalogue",
    );
}

#[test]
fn step_up_financial_support_in_the_plan_as_in_the_attachment() {
    let file = format!("{DOC}/plan.yaml");
    let (err, line) = rendered_otherwise(
        &file,
        "en: \"Step up financial support\"",
        "en: \"Increase financial support\"",
    );
    assert_names(
        &err,
        &file,
        line,
        "task-17.title.en",
        "加大金融支持力度",
        "step up financial support",
    );
}

#[test]
fn taizhou_airport_as_the_text_writes_it() {
    let file = format!("{DOC}/plan.yaml");
    let (err, line) = rendered_otherwise(
        &file,
        "capacity of Taizhou Airport",
        "capacity of Taizhou Luqiao Airport",
    );
    assert_names(
        &err,
        &file,
        line,
        "task-12.text.en",
        "台州机场",
        "Taizhou Airport",
    );
}

#[test]
fn a_subsidy_name_keeps_the_districts_of_ge_xian_shi_qu() {
    // An inline `{zh: …, en: …}` beside other fields: the error points at its own line.
    let file = format!("{DOC}/attachment.yaml");
    let (err, line) = rendered_otherwise(
        &file,
        "en: \"Support from the counties (county-level cities, districts) and Taizhou Bay New Area\"",
        "en: \"Support from the counties and Taizhou Bay New Area\"",
    );
    assert_names(
        &err,
        &file,
        line,
        "att-4-4-a.subsidy.name.en",
        "县（市、区）",
        "counties (county-level cities, districts)",
    );
}

#[test]
fn implement_by_reference_allows_words_between() {
    let (err, line) = rendered_otherwise(
        "site.yaml",
        "(they implement it by reference)",
        "(they refer to the policy)",
    );
    assert_names(
        &err,
        "site.yaml",
        line,
        "calc_counties.en",
        "参照执行",
        "implement … by reference",
    );
}

#[test]
fn centre_is_spelt_one_way() {
    let (err, line) = rendered_otherwise(
        "units.yaml",
        "Taizhou Municipal Financial Development Centre\"",
        "Taizhou Municipal Financial Development Center\"",
    );
    assert_names(
        &err,
        "units.yaml",
        line,
        "finance-centre.name.en",
        "中心",
        "centre",
    );
}

#[test]
fn a_term_in_both_lists_has_one_rendering() {
    let (err, _) = rendered_otherwise(
        "terms.yaml",
        "en: list of seriously dishonest entities",
        "en: serious-dishonesty list",
    );
    assert!(
        err.contains("`严重失信名单` is also the glossary term `seriously-dishonest-list`"),
        "{err}"
    );
}

/// Every municipal department is "Taizhou Municipal …"; units under line management keep their
/// own names, which this pattern must not reach.
#[test]
fn municipal_unit_names_follow_one_pattern() {
    let units: Vec<serde_json::Value> = serde_norway::from_str(
        &std::fs::read_to_string(repo().join("content/units.yaml")).unwrap(),
    )
    .unwrap();
    let municipal: Vec<&str> = units
        .iter()
        .filter(|u| u["kind"] == "municipal")
        .map(|u| u["name"]["en"].as_str().unwrap())
        .collect();
    assert!(
        municipal.len() > 10,
        "the registry lists the municipal departments"
    );
    let off: Vec<&&str> = municipal
        .iter()
        .filter(|n| !n.starts_with("Taizhou Municipal "))
        .collect();
    assert!(off.is_empty(), "not “Taizhou Municipal …”: {off:?}");
    let customs = units.iter().find(|u| u["id"] == "customs").unwrap();
    assert_eq!(customs["kind"], "vertical");
    assert_eq!(customs["name"]["en"], "Taizhou Customs");
}
