//! Property tests: the renderer never panics or hangs on arbitrary Markdown.

use md2pdf::{render, PdfOptions};
use proptest::prelude::*;

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# 标题\n".to_string()),
        Just("## Heading two\n".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("1. ".to_string()),
        Just("  ".to_string()),
        Just("- [ ] ".to_string()),
        Just("- [x] ".to_string()),
        Just("| a | 表 |\n|---|---|\n| 1 | 2 |\n".to_string()),
        Just("```\ncode 代码\n```\n".to_string()),
        Just("---\n".to_string()),
        Just("**粗体** *斜体* `code` ~~删除~~ [链接](http://x)".to_string()),
        Just("<div>html</div>\n".to_string()),
        Just("\n".to_string()),
        Just("\n\n".to_string()),
        "[a-z ]{0,40}",
        "[，。！？（）《》「」…—]{0,20}",
        "[一-龥]{0,60}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_markdown_renders(parts in prop::collection::vec(fragment(), 0..40)) {
        let md = parts.concat();
        let pdf = render(&md, &PdfOptions::default()).unwrap();
        prop_assert!(pdf.pages >= 1);
        prop_assert!(pdf.bytes.starts_with(b"%PDF-"));
    }
}

#[test]
fn deep_nesting_and_huge_inputs() {
    let cases = [
        ">".repeat(2000) + " 深",
        "- ".repeat(500) + "x",
        format!("{}\n", "x".repeat(10_000)),
        "字".repeat(20_000),
        {
            let mut t = String::from("|");
            for i in 0..60 {
                t.push_str(&format!(" c{i} |"));
            }
            t.push('\n');
            t.push_str(&"|---".repeat(60));
            t.push_str("|\n");
            for _ in 0..50 {
                t.push_str(&"| 很长很长的单元格内容 ".repeat(60));
                t.push_str("|\n");
            }
            t
        },
        format!("| a |\n|---|\n| {} |\n", "长".repeat(30_000)),
    ];
    for md in cases {
        let pdf = render(&md, &PdfOptions::default()).unwrap();
        assert!(pdf.pages >= 1);
    }
}
