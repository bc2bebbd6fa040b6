//! The plain-text breakdown of the command line.

mod common;

use calculator::{estimate, render_text, Applicant, Lang};
use common::*;

#[test]
fn the_breakdown_carries_document_lines_totals_and_notices() {
    let r = rules();
    let e = estimate(
        &r,
        &enterprise(vec![
            claim("trademark", &[&[("fee", "120000")]]),
            claim("new-shops", &[]),
        ]),
    );
    let zh = render_text(&e, Lang::Zh);
    for want in [
        "台政办发〔2024〕26号",
        "自2025年1月1日起施行，有效期3年（至2027年12月31日）；规则版本 fixture-2024-11-19",
        "申报主体：企业，椒江区",
        "1. 商标国际注册费用扶持：6万元",
        "   50% × 12万元 = 6万元，未超过上限10万元",
        "依据：附件一（三）：“鼓励跨境电商企业使用自主品牌",
        "相关任务责任单位（编者关联）：市商务局、市市场监管局",
        "2. 新开跨境电商店铺扶持：本政策未规定金额",
        "市区合计（上限）：6万元",
        "具体实施细则由市商务局和市财政局牵头另行制定",
    ] {
        assert!(zh.contains(want), "missing {want:?} in\n{zh}");
    }
    assert!(!zh.contains("参考合计"));
    let en = render_text(&e, Lang::En);
    for want in [
        "Applicant: enterprise, Jiaojiang District",
        "1. International trademark registration: RMB 60,000",
        "   50% × RMB 120,000 = RMB 60,000, below the RMB 100,000 cap",
        "Units of the related tasks (our editorial link): Taizhou Municipal Bureau of Commerce",
        "City total (upper bound): RMB 60,000",
    ] {
        assert!(en.contains(want), "missing {want:?} in\n{en}");
    }
}

#[test]
fn a_county_breakdown_marks_reference_figures() {
    let e = estimate(
        &rules(),
        &scenario(
            Applicant::Enterprise,
            "sanmen",
            vec![claim("logistics", &[&[("cost", "80000")]])],
        ),
    );
    let zh = render_text(&e, Lang::Zh);
    assert!(zh.contains("8万元（仅供参考）"), "{zh}");
    assert!(zh.contains("市区合计（上限）：0元"));
    assert!(zh.contains("参考合计（仅供参考，不计入市区合计）：8万元"));
    assert!(zh.contains("三门县属于县（市）"));
    let en = render_text(&e, Lang::En);
    assert!(en.contains("RMB 80,000 (for reference only)"), "{en}");
}
