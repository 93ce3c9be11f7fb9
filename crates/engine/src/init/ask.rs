//! The questions `playbook init` asks, one section at a time. Each answer is read with the
//! field's own type from the profile, so the ranges and messages are the loader's; the
//! question text and allowed values come from the profile's JSON Schema descriptions, so
//! the prompts, the schema and the loader say the same thing.

use crate::error::{Error, Result};
use crate::profile::{
    Account, Audience, Backdrop, Brand, Budget, Category, Channel, ChannelKind, Costs, Count, Date,
    Display, Event, Fraction, Grade, History, Level, Market, Materials, NonNegative, Plan,
    Positive, Product, ProductSize, Profile, ProfileVersion, Role, RoomColor, Scene, Score,
    SpecialScene, Store, Strength, Team,
};
use crate::report::Lang;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::io::{BufRead, Write};
use std::path::Path;

/// A conversation in one language: questions go to `out`, answers come from `input`, one
/// line each. Generic so tests can drive it with in-memory text.
pub struct Session<R, W> {
    input: R,
    out: W,
    lang: Lang,
}

/// The JSON Schema of a profile type, as a plain JSON value.
fn schema_of<T: JsonSchema>() -> Value {
    serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default()
}

/// A YAML-free, strict yes/no.
fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "y" | "yes" | "true" | "是" | "是的" => Some(true),
        "n" | "no" | "false" | "否" | "不是" => Some(false),
        _ => None,
    }
}

/// Splits a list answer on ASCII or Chinese commas.
fn split_list(text: &str) -> Vec<&str> {
    text.split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// Turns one answer into the JSON value the field's type reads, guided by the type's
/// schema: booleans from y/n, numbers as numbers, enum values matched without regard to
/// case. The type's own `Deserialize` then applies the loader's range and message.
fn read_as<T: DeserializeOwned>(kind: &Value, text: &str, lang: Lang) -> Result<T, String> {
    let value = match kind["type"].as_str() {
        Some("boolean") => Value::Bool(parse_bool(text).ok_or_else(|| match lang {
            Lang::Zh => "请回答 y 或 n".to_string(),
            Lang::En => "answer y or n".to_string(),
        })?),
        Some("integer") | Some("number") => {
            let number = text
                .parse::<i64>()
                .ok()
                .map(Value::from)
                .or_else(|| {
                    let f = text.parse::<f64>().ok()?;
                    serde_json::Number::from_f64(f).map(Value::Number)
                })
                .ok_or_else(|| match lang {
                    Lang::Zh => format!("`{text}` 不是数字"),
                    Lang::En => format!("`{text}` is not a number"),
                })?;
            number
        }
        _ => {
            let canonical = kind["enum"].as_array().and_then(|values| {
                values
                    .iter()
                    .filter_map(Value::as_str)
                    .find(|v| v.eq_ignore_ascii_case(text))
            });
            Value::String(canonical.unwrap_or(text).to_string())
        }
    };
    serde_json::from_value(value).map_err(|e| crate::suggest::explain_unknown(&e.to_string()))
}

/// What a field's answer may be, e.g. `food | beverage` or `y/n`; empty for numbers and
/// text, whose descriptions state their range.
fn allowed(kind: &Value) -> String {
    if let Some(values) = kind["enum"].as_array() {
        let values: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
        return values.join(" | ");
    }
    match kind["type"].as_str() {
        Some("boolean") => "y/n".into(),
        _ => String::new(),
    }
}

impl<R: BufRead, W: Write> Session<R, W> {
    pub fn new(input: R, out: W, lang: Lang) -> Self {
        Session { input, out, lang }
    }

    fn t(&self, zh: &str, en: &str) -> String {
        match self.lang {
            Lang::Zh => zh.to_string(),
            Lang::En => en.to_string(),
        }
    }

    fn write(&mut self, text: &str) -> Result<()> {
        self.out
            .write_all(text.as_bytes())
            .and_then(|()| self.out.flush())
            .map_err(|e| Error::io("<stderr>", e))
    }

    fn say(&mut self, text: &str) -> Result<()> {
        self.write(&format!("{text}\n"))
    }

    fn heading(&mut self, zh: &str, en: &str) -> Result<()> {
        let title = self.t(zh, en);
        self.say(&format!("\n== {title} =="))
    }

    fn refuse(&mut self, why: &str) -> Result<()> {
        let line = match self.lang {
            Lang::Zh => format!("  ✗ {why}，请重新输入。"),
            Lang::En => format!("  ✗ {why}; please answer again."),
        };
        self.say(&line)
    }

    /// One line of input without its line ending; the end of input is an error that says
    /// which question was left unanswered.
    fn read(&mut self, question: &str) -> Result<String> {
        let mut line = String::new();
        let n = self
            .input
            .read_line(&mut line)
            .map_err(|e| Error::io("<stdin>", e))?;
        if n == 0 {
            return Err(Error::io(
                "<stdin>",
                std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!("input ended before `{question}` was answered; nothing was written"),
                ),
            ));
        }
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    }

    /// A yes/no question; Enter gives `default`.
    pub fn yes_no(&mut self, question: &str, default: bool) -> Result<bool> {
        let choices = if default { "[Y/n]" } else { "[y/N]" };
        loop {
            self.write(&format!("{question} {choices}: "))?;
            let answer = self.read(question)?;
            if answer.trim().is_empty() {
                return Ok(default);
            }
            match parse_bool(&answer) {
                Some(b) => return Ok(b),
                None => {
                    let why = self.t("请回答 y 或 n", "answer y or n");
                    self.refuse(&why)?
                }
            }
        }
    }

    /// Asks before replacing an existing file; the default is no.
    pub fn confirm_overwrite(&mut self, path: &Path) -> Result<bool> {
        let question = match self.lang {
            Lang::Zh => format!("{} 已存在，要覆盖吗？", path.display()),
            Lang::En => format!("{} already exists. Replace it?", path.display()),
        };
        self.yes_no(&question, false)
    }

    /// Asks field `key` of a section whose schema is `section`. Enter gives `default`
    /// (or leaves an optional field out); `-` leaves an optional field out. Invalid answers
    /// are explained and asked again.
    fn ask<T: DeserializeOwned + JsonSchema>(
        &mut self,
        section: &Value,
        key: &str,
        default: Option<&str>,
        required: bool,
    ) -> Result<Option<T>> {
        let label = self.label(section, key);
        let kind = schema_of::<T>();
        let prompt = self.prompt(&label, &allowed(&kind), default, required);
        loop {
            self.write(&prompt)?;
            let answer = self.read(&label)?;
            let answer = answer.trim();
            let text = match (answer, default) {
                ("", Some(d)) => d,
                ("", None) if required => {
                    let why = self.t("这一项必须填写", "this one needs an answer");
                    self.refuse(&why)?;
                    continue;
                }
                ("", None) => return Ok(None),
                ("-", _) if !required => return Ok(None),
                (a, _) => a,
            };
            match read_as::<T>(&kind, text, self.lang) {
                Ok(v) => return Ok(Some(v)),
                Err(why) => self.refuse(&why)?,
            }
        }
    }

    fn required<T: DeserializeOwned + JsonSchema>(
        &mut self,
        section: &Value,
        key: &str,
        default: Option<&str>,
    ) -> Result<T> {
        match self.ask(section, key, default, true)? {
            Some(v) => Ok(v),
            // `ask` only returns for a required field once it has a value.
            None => Err(Error::Usage(format!("{key} needs an answer"))),
        }
    }

    /// Asks a list field whose items have type `E`, comma-separated; Enter leaves it out.
    fn list<E: DeserializeOwned + JsonSchema>(
        &mut self,
        section: &Value,
        key: &str,
    ) -> Result<Option<Vec<E>>> {
        let label = self.label(section, key);
        let kind = schema_of::<E>();
        let mut choices = allowed(&kind);
        choices.push_str(&self.t("；用逗号分隔", "; separate with commas"));
        let choices = choices.trim_start_matches(['；', ';', ' ']).to_string();
        let prompt = self.prompt(&label, &choices, None, false);
        'ask: loop {
            self.write(&prompt)?;
            let answer = self.read(&label)?;
            let answer = answer.trim();
            if answer.is_empty() || answer == "-" {
                return Ok(None);
            }
            let mut items = Vec::new();
            for item in split_list(answer) {
                match read_as::<E>(&kind, item, self.lang) {
                    Ok(v) => items.push(v),
                    Err(why) => {
                        self.refuse(&why)?;
                        continue 'ask;
                    }
                }
            }
            return Ok(Some(items));
        }
    }

    /// The field's description in the session's language (`English / 中文` in the schema).
    fn label(&self, section: &Value, key: &str) -> String {
        let description = section["properties"][key]["description"]
            .as_str()
            .unwrap_or(key);
        let mut halves = description.split(" / ");
        let en = halves.next().unwrap_or(key);
        let zh = halves.next().unwrap_or(en);
        format!("{key}: {}", self.t(zh, en))
    }

    fn prompt(&self, label: &str, allowed: &str, default: Option<&str>, required: bool) -> String {
        let mut p = label.to_string();
        if !allowed.is_empty() {
            p.push_str(&format!(" ({allowed})"));
        }
        match default {
            Some(d) => p.push_str(&format!(" [{d}]")),
            None if !required => p.push_str(&self.t(" [回车跳过]", " [Enter to skip]")),
            None => {}
        }
        p.push_str(": ");
        p
    }
}

/// `None` for a section the user left entirely empty, so the file does not list it.
fn unless_empty<T: Serialize>(section: T) -> Option<T> {
    let value = serde_json::to_value(&section).ok()?;
    let empty = value
        .as_object()
        .is_some_and(|fields| fields.values().all(Value::is_null));
    (!empty).then_some(section)
}

/// Asks the profile's questions, section by section, and returns the profile.
pub fn questionnaire<R: BufRead, W: Write>(s: &mut Session<R, W>) -> Result<Profile> {
    let intro = s.t(
        "逐节回答问题。回车接受 [方括号] 里的默认值；输入 - 留空。",
        "Answer section by section. Enter accepts the [default]; - leaves a field empty.",
    );
    s.say(&intro)?;
    let mut p = Profile {
        profile_version: Some(ProfileVersion(1)),
        ..Default::default()
    };

    s.heading("品牌", "Brand")?;
    let sch = schema_of::<Brand>();
    p.brand = Brand {
        name: s.required::<String>(&sch, "name", None)?,
        category: s.ask::<Category>(&sch, "category", Some("food"), false)?,
        subcategory: s.ask::<String>(&sch, "subcategory", None, false)?,
        awareness: s.ask::<Level>(&sch, "awareness", Some("low"), false)?,
        strength: s.ask::<Strength>(&sch, "strength", Some("small"), false)?,
        offline_established: s.ask::<bool>(&sch, "offline_established", Some("n"), false)?,
        platform_exclusive_products: s.ask::<bool>(
            &sch,
            "platform_exclusive_products",
            Some("n"),
            false,
        )?,
        audience: s.list::<Audience>(&sch, "audience")?,
        protects_distributors: s.ask::<bool>(&sch, "protects_distributors", None, false)?,
    };

    s.heading("店铺", "Store")?;
    let sch = schema_of::<Store>();
    p.store = unless_empty(Store {
        dsr_level: s.ask::<Grade>(&sch, "dsr_level", None, false)?,
    });

    s.heading("账号", "Account")?;
    let sch = schema_of::<Account>();
    p.account = unless_empty(Account {
        verified: s.ask::<bool>(&sch, "verified", Some("n"), false)?,
        followers: s.ask::<Count>(&sch, "followers", Some("0"), false)?,
        reputation_score: s.ask::<Score>(&sch, "reputation_score", None, false)?,
        live_enabled: s.ask::<bool>(&sch, "live_enabled", Some("n"), false)?,
        room_level: s.ask::<Grade>(&sch, "room_level", None, false)?,
    });

    s.heading("团队", "Team")?;
    let sch = schema_of::<Team>();
    p.team = unless_empty(Team {
        anchors: s.ask::<Count>(&sch, "anchors", Some("0"), false)?,
        ad_buyers: s.ask::<Count>(&sch, "ad_buyers", Some("0"), false)?,
        operators: s.ask::<Count>(&sch, "operators", Some("0"), false)?,
        video_editors: s.ask::<Count>(&sch, "video_editors", Some("0"), false)?,
        customer_service: s.ask::<Count>(&sch, "customer_service", Some("0"), false)?,
        service_provider: s.ask::<bool>(&sch, "service_provider", Some("n"), false)?,
        veteran_anchors: s.ask::<Count>(&sch, "veteran_anchors", None, false)?,
        can_judge_training: s.ask::<bool>(&sch, "can_judge_training", None, false)?,
    });

    s.heading("素材", "Materials")?;
    let sch = schema_of::<Materials>();
    p.materials = unless_empty(Materials {
        ad_videos: s.ask::<Count>(&sch, "ad_videos", Some("0"), false)?,
        native_footage: s.ask::<bool>(&sch, "native_footage", Some("n"), false)?,
        factory_footage: s.ask::<bool>(&sch, "factory_footage", Some("n"), false)?,
        origin_footage: s.ask::<bool>(&sch, "origin_footage", Some("n"), false)?,
        celebrity_clips: s.ask::<bool>(&sch, "celebrity_clips", Some("n"), false)?,
    });

    s.heading("预算", "Budget")?;
    let sch = schema_of::<Budget>();
    p.budget = unless_empty(Budget {
        monthly_ad_spend: s.ask::<NonNegative>(&sch, "monthly_ad_spend", None, false)?,
        target_roi: s.ask::<Positive>(&sch, "target_roi", None, false)?,
    });

    s.heading("商品", "Products")?;
    let sch = schema_of::<Product>();
    let mut products = Vec::new();
    let first = s.t("添加一个商品？", "Add a product?");
    let mut more = s.yes_no(&first, true)?;
    while more {
        let role = if products.is_empty() {
            "hero"
        } else {
            "traffic"
        };
        products.push(Product {
            name: s.required::<String>(&sch, "name", None)?,
            role: s.required::<Role>(&sch, "role", Some(role))?,
            price: s.required::<Positive>(&sch, "price", None)?,
            unit_cost: s.ask::<NonNegative>(&sch, "unit_cost", None, false)?,
            stock: s.ask::<Count>(&sch, "stock", None, false)?,
            gmv_share: s.ask::<Fraction>(&sch, "gmv_share", None, false)?,
            exclusive: s.ask::<bool>(&sch, "exclusive", Some("n"), false)?,
            event_price: s.ask::<Positive>(&sch, "event_price", None, false)?,
            competitor_prices: s.list::<Positive>(&sch, "competitor_prices")?,
            selling_points: s.list::<String>(&sch, "selling_points")?,
            bundle: s.ask::<bool>(&sch, "bundle", None, false)?,
            size: s.ask::<ProductSize>(&sch, "size", None, false)?,
            promotion: s.ask::<String>(&sch, "promotion", None, false)?,
            offline_price: s.ask::<Positive>(&sch, "offline_price", None, false)?,
        });
        let another = s.t("再添加一个商品？", "Add another product?");
        more = s.yes_no(&another, false)?;
    }
    p.products = (!products.is_empty()).then_some(products);

    s.heading("近 30 天直播数据（可选）", "History (optional)")?;
    let gate = s.t(
        "填写近 30 天的直播数据？",
        "Fill in the last 30 days of live selling?",
    );
    if s.yes_no(&gate, false)? {
        let sch = schema_of::<History>();
        p.history = unless_empty(History {
            sessions: s.ask::<Count>(&sch, "sessions", None, false)?,
            avg_session_hours: s.ask::<NonNegative>(&sch, "avg_session_hours", None, false)?,
            gmv: s.ask::<NonNegative>(&sch, "gmv", None, false)?,
            uv: s.ask::<Count>(&sch, "uv", None, false)?,
            click_rate: s.ask::<Fraction>(&sch, "click_rate", None, false)?,
            conversion_rate: s.ask::<Fraction>(&sch, "conversion_rate", None, false)?,
            avg_order_value: s.ask::<NonNegative>(&sch, "avg_order_value", None, false)?,
            ad_spend: s.ask::<NonNegative>(&sch, "ad_spend", None, false)?,
            repurchase_rate: s.ask::<Fraction>(&sch, "repurchase_rate", None, false)?,
        });
    }

    s.heading("市场（可选）", "Market (optional)")?;
    let gate = s.t(
        "填写定价用的市场信息？",
        "Fill in market facts for pricing?",
    );
    if s.yes_no(&gate, false)? {
        let sch = schema_of::<Market>();
        p.market = unless_empty(Market {
            competitor_prices: s.list::<Positive>(&sch, "competitor_prices")?,
            seasonal_demand: s.ask::<bool>(&sch, "seasonal_demand", Some("n"), false)?,
            member_tiers: s.ask::<bool>(&sch, "member_tiers", Some("n"), false)?,
            standardized: s.ask::<bool>(&sch, "standardized", Some("n"), false)?,
            differentiated: s.ask::<bool>(&sch, "differentiated", Some("n"), false)?,
            target_margin: s.ask::<Fraction>(&sch, "target_margin", None, false)?,
        });
    }

    s.heading("大场活动（可选）", "Event (optional)")?;
    let gate = s.t("填写计划中的大场活动？", "Fill in a planned big event?");
    if s.yes_no(&gate, false)? {
        let sch = schema_of::<Event>();
        p.event = unless_empty(Event {
            target_gmv: s.ask::<Positive>(&sch, "target_gmv", None, false)?,
            hours: s.ask::<Positive>(&sch, "hours", None, false)?,
            date: s.ask::<Date>(&sch, "date", None, false)?,
            max_shift_hours: s.ask::<Positive>(&sch, "max_shift_hours", Some("6"), false)?,
            special_scene: s.ask::<SpecialScene>(&sch, "special_scene", None, false)?,
        });
    }

    s.heading("直播间布置（可选）", "Scene (optional)")?;
    let gate = s.t("填写直播间布置？", "Fill in the live room's set?");
    if s.yes_no(&gate, false)? {
        let sch = schema_of::<Scene>();
        p.scene = unless_empty(Scene {
            background: s.list::<Backdrop>(&sch, "background")?,
            overlay: s.ask::<bool>(&sch, "overlay", Some("n"), false)?,
            color: s.ask::<RoomColor>(&sch, "color", None, false)?,
            display: s.ask::<Display>(&sch, "display", None, false)?,
            second_camera: s.ask::<bool>(&sch, "second_camera", Some("n"), false)?,
            green_screen: s.ask::<bool>(&sch, "green_screen", Some("n"), false)?,
        });
    }

    s.heading("计划（可选）", "Plan (optional)")?;
    let gate = s.t(
        "填写计划开始日期和日常直播时长？",
        "Fill in the plan's start date and daily live hours?",
    );
    if s.yes_no(&gate, false)? {
        let sch = schema_of::<Plan>();
        p.plan = unless_empty(Plan {
            start_date: s.ask::<Date>(&sch, "start_date", None, false)?,
            daily_live_hours: s.ask::<Positive>(&sch, "daily_live_hours", None, false)?,
        });
    }

    s.heading("成本（可选）", "Costs (optional)")?;
    let gate = s.t(
        "填写投放之外的成本（佣金、运费、退货、人力、服务商）？",
        "Fill in costs besides ads (commission, shipping, returns, people, provider)?",
    );
    if s.yes_no(&gate, false)? {
        let sch = schema_of::<Costs>();
        p.costs = unless_empty(Costs {
            platform_fee_rate: s.ask::<Fraction>(&sch, "platform_fee_rate", None, false)?,
            shipping_per_order: s.ask::<NonNegative>(&sch, "shipping_per_order", None, false)?,
            return_rate: s.ask::<Fraction>(&sch, "return_rate", None, false)?,
            people_monthly: s.ask::<NonNegative>(&sch, "people_monthly", None, false)?,
            tools_monthly: s.ask::<NonNegative>(&sch, "tools_monthly", None, false)?,
            provider_fee_monthly: s.ask::<NonNegative>(
                &sch,
                "provider_fee_monthly",
                None,
                false,
            )?,
            provider_commission_rate: s.ask::<Fraction>(
                &sch,
                "provider_commission_rate",
                None,
                false,
            )?,
        });
    }

    s.heading("销售渠道（可选）", "Channels (optional)")?;
    let sch = schema_of::<Channel>();
    let mut channels = Vec::new();
    let first = s.t("添加一个销售渠道？", "Add a sales channel?");
    let mut more = s.yes_no(&first, false)?;
    while more {
        channels.push(Channel {
            name: s.required::<String>(&sch, "name", None)?,
            kind: s.ask::<ChannelKind>(&sch, "kind", None, false)?,
            gmv: s.ask::<NonNegative>(&sch, "gmv", None, false)?,
            spend: s.ask::<NonNegative>(&sch, "spend", None, false)?,
            orders: s.ask::<Count>(&sch, "orders", None, false)?,
            last_active: s.ask::<Date>(&sch, "last_active", None, false)?,
        });
        let another = s.t("再添加一个渠道？", "Add another channel?");
        more = s.yes_no(&another, false)?;
    }
    p.channels = (!channels.is_empty()).then_some(channels);
    if p.channels.is_some() {
        let sch = schema_of::<Profile>();
        p.snapshot_date = s.ask::<Date>(&sch, "snapshot_date", None, false)?;
    }
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(lines: &str, lang: Lang) -> (Result<Profile>, String) {
        let mut out = Vec::new();
        let result = {
            let mut s = Session::new(lines.as_bytes(), &mut out, lang);
            questionnaire(&mut s)
        };
        (result, String::from_utf8(out).unwrap())
    }

    #[test]
    fn defaults_fill_a_new_small_brand() {
        // name, then Enter for every brand field, store, account, team, materials, budget;
        // no product; no optional section.
        let mut lines = String::from("椒语\n");
        lines.push_str(&"\n".repeat(8 + 1 + 5 + 8 + 5 + 2));
        // product, history, market, event, scene, plan, costs, channels
        lines.push_str("n\nn\nn\nn\nn\nn\nn\nn\n");
        let (p, out) = answer(&lines, Lang::Zh);
        let p = p.unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert_eq!(p.brand.name, "椒语");
        assert_eq!(p.brand.category, Some(Category::Food));
        assert_eq!(p.account.unwrap().followers, Some(Count(0)));
        assert!(p.store.is_none() && p.products.is_none() && p.history.is_none());
        assert!(out.contains("账号粉丝数"), "{out}");
        assert!(out.contains("(food | beverage | beauty | apparel | daily | other) [food]"));
    }

    #[test]
    fn invalid_answers_are_asked_again_with_the_loaders_message() {
        let mut lines = String::from("x\nsnacks\nFood\n");
        lines.push_str(&"\n".repeat(7)); // rest of brand
        lines.push('\n'); // store
        lines.push_str("maybe\ny\n-1\n1.5\n320\n"); // verified, followers x3
        lines.push_str(&"\n".repeat(3 + 8 + 5 + 2));
        // product, history, market, event, scene, plan, costs, channels
        lines.push_str("n\nn\nn\nn\nn\nn\nn\nn\n");
        let (p, out) = answer(&lines, Lang::En);
        let p = p.unwrap_or_else(|e| panic!("{e}\n{out}"));
        assert_eq!(p.brand.category, Some(Category::Food));
        let account = p.account.unwrap();
        assert_eq!(account.verified, Some(true));
        assert_eq!(account.followers, Some(Count(320)));
        assert!(out.contains("unknown value `snacks`"), "{out}");
        assert!(out.contains("answer y or n"), "{out}");
        assert!(out.contains("expected a whole number >= 0"), "{out}");
    }

    #[test]
    fn running_out_of_input_names_the_question() {
        let (p, _) = answer("x\n", Lang::En);
        let e = p.unwrap_err().to_string();
        assert!(e.contains("input ended before `category"), "{e}");
    }
}
