//! The brand profile: the contract's input, read strictly.
//!
//! Every section but `brand` may be absent, and so may every field but a few names. What a
//! playbook needs and does not find it reports under `needs`; the loader only refuses what
//! breaks the contract (unknown keys, wrong types, values out of range).

mod values;

use crate::error::{Error, Location, Result};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub use values::{Count, Date, DayTime, Fraction, NonNegative, Positive, Score};

/// One brand's profile, as written in its YAML file.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    #[serde(default)]
    #[schemars(description = "Profile format version; only 1 exists / 档案格式版本，目前只有 1")]
    pub profile_version: Option<ProfileVersion>,
    #[schemars(description = "The brand (required) / 品牌（必填）")]
    pub brand: Brand,
    #[serde(default)]
    #[schemars(description = "The store / 店铺")]
    pub store: Option<Store>,
    #[serde(default)]
    #[schemars(description = "The selling account / 带货账号")]
    pub account: Option<Account>,
    #[serde(default)]
    #[schemars(description = "The live team, head counts / 直播团队人数")]
    pub team: Option<Team>,
    #[serde(default)]
    #[schemars(description = "Video materials / 视频素材")]
    pub materials: Option<Materials>,
    #[serde(default)]
    #[schemars(description = "Ad budget / 投放预算")]
    pub budget: Option<Budget>,
    #[serde(default)]
    #[schemars(description = "Products to sell, zero or more / 商品，可为空")]
    pub products: Option<Vec<Product>>,
    #[serde(default)]
    #[schemars(description = "Last 30 days of live selling (optional) / 近 30 天直播数据（可选）")]
    pub history: Option<History>,
    #[serde(default)]
    #[schemars(description = "Market facts for pricing (optional) / 定价用的市场信息（可选）")]
    pub market: Option<Market>,
    #[serde(default)]
    #[schemars(
        description = "A planned big event, for million-gmv-event (optional) / 大场活动计划，用于 million-gmv-event（可选）"
    )]
    pub event: Option<Event>,
    /// When the brand starts working through a plan; dates day-by-day steps.
    #[serde(default)]
    #[schemars(
        description = "When the brand starts working through a plan (optional) / 开始执行计划的日期（可选）"
    )]
    pub plan: Option<Plan>,
    /// The live room's set: background, overlay sticker, main colour, display.
    #[serde(default)]
    #[schemars(
        description = "The live room's set, for the readiness scorecard (optional) / 直播间布置，用于准备度自评（可选）"
    )]
    pub scene: Option<Scene>,
    /// Overrides of the documented defaults the playbooks assume; each report lists the
    /// ones it used, with their source.
    #[serde(default)]
    #[schemars(
        description = "Overrides of the playbooks' documented assumptions (optional) / 覆盖工具默认假设（可选）"
    )]
    pub assumptions: Option<Assumptions>,
    /// One record per live session, written here or read from a platform export with
    /// `--sessions` (see `import`).
    #[serde(default)]
    #[schemars(
        description = "One record per live session (optional); only the date is required / 每场直播一条记录（可选），只有日期必填"
    )]
    pub sessions: Option<Vec<Session>>,
    /// What selling costs besides ads; each absent one is a documented assumption.
    #[serde(default)]
    #[schemars(
        description = "Costs besides ad spend, for the full-cost ROI (optional) / 投放之外的成本，用于全成本 ROI（可选）"
    )]
    pub costs: Option<Costs>,
    /// The brand's sales channels with their figures, for channel-review.
    #[serde(default)]
    #[schemars(
        description = "Sales channels with their GMV, spend, orders and last activity (optional) / 各销售渠道的 GMV、投入、订单与最近活跃日期（可选）"
    )]
    pub channels: Option<Vec<Channel>>,
    /// When this profile was taken; channel recency is counted back from it.
    #[serde(default)]
    #[schemars(
        description = "When this profile was taken, YYYY-MM-DD (optional) / 本档案的填写日期，YYYY-MM-DD（可选）"
    )]
    pub snapshot_date: Option<Date>,
}

/// The profile format's version; only 1 exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct ProfileVersion(pub i64);

values::inline_schema!(ProfileVersion, {"type": "integer", "const": 1});

impl<'de> Deserialize<'de> for ProfileVersion {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = i64::deserialize(d)?;
        if v == 1 {
            Ok(ProfileVersion(v))
        } else {
            Err(serde::de::Error::invalid_value(
                serde::de::Unexpected::Signed(v),
                &"1 (the only profile version)",
            ))
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    #[schemars(description = "Brand display name, any text / 品牌名称，任意文字")]
    pub name: String,
    #[schemars(description = "Category / 品类")]
    pub category: Option<Category>,
    #[schemars(
        description = "Subcategory, free text (spicy or braised vs fresh or nuts drives the room colour advice) / 细分品类，自由填写（辣卤类或坚果鲜食类影响直播间配色建议）"
    )]
    pub subcategory: Option<String>,
    #[schemars(description = "Recognition among target buyers / 目标人群中的品牌认知度")]
    pub awareness: Option<Level>,
    #[schemars(description = "Resources: budget, supply, people / 品牌实力（预算、供应链、人手）")]
    pub strength: Option<Strength>,
    #[schemars(
        description = "An established offline brand with distributors / 已有经销商的成熟线下品牌"
    )]
    pub offline_established: Option<bool>,
    #[schemars(
        description = "Has products or bundles made for this platform / 有平台专供商品或组合"
    )]
    pub platform_exclusive_products: Option<bool>,
    #[schemars(description = "Target buyers, any of the listed groups / 目标人群，可多选")]
    pub audience: Option<Vec<Audience>>,
    #[schemars(
        description = "Keeps online prices at or above its offline distributors' / 保护线下经销商（线上价格不低于经销商）"
    )]
    pub protects_distributors: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Food,
    Beverage,
    Beauty,
    Apparel,
    Daily,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    Small,
    Medium,
    Large,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Singles,
    WhiteCollar,
    NewMoms,
    Silver,
}

/// A store or room grade; S is best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Grade {
    S,
    A,
    B,
    C,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Store {
    #[schemars(description = "Store DSR grade, S is best / 店铺 DSR 等级，S 最好")]
    pub dsr_level: Option<Grade>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Account {
    #[schemars(description = "Account verified / 账号已认证")]
    pub verified: Option<bool>,
    #[schemars(description = "Followers on the account, integer >= 0 / 账号粉丝数，整数 >= 0")]
    pub followers: Option<Count>,
    #[schemars(description = "Reputation score, 0.0 - 5.0 / 带货口碑分，0.0 - 5.0")]
    pub reputation_score: Option<Score>,
    #[schemars(description = "Live selling unlocked / 已开通直播带货")]
    pub live_enabled: Option<bool>,
    #[schemars(description = "Live room grade, S is best, or null / 直播间等级，S 最好，或 null")]
    pub room_level: Option<Grade>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Team {
    #[schemars(description = "Anchors (hosts), integer >= 0 / 主播人数，整数 >= 0")]
    pub anchors: Option<Count>,
    #[schemars(description = "Ad buyers, integer >= 0 / 投手人数，整数 >= 0")]
    pub ad_buyers: Option<Count>,
    #[schemars(description = "Live operators, integer >= 0 / 运营人数，整数 >= 0")]
    pub operators: Option<Count>,
    #[schemars(description = "Video editors, integer >= 0 / 剪辑人数，整数 >= 0")]
    pub video_editors: Option<Count>,
    #[schemars(description = "Customer service staff, integer >= 0 / 客服人数，整数 >= 0")]
    pub customer_service: Option<Count>,
    #[schemars(
        description = "Works with an external service provider (DP) / 与外部服务商（DP）合作"
    )]
    pub service_provider: Option<bool>,
    #[schemars(
        description = "Anchors among them with live-selling experience, who can co-host trainees, integer >= 0 / 其中有带货经验、能带新人搭档直播的主播人数，整数 >= 0"
    )]
    pub veteran_anchors: Option<Count>,
    #[schemars(
        description = "Someone on the team can judge whether a live-selling course is any good / 团队里有人能判断直播培训课程的好坏"
    )]
    pub can_judge_training: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Materials {
    #[schemars(
        description = "Ready-to-run ad short videos, integer >= 0 / 可投放的广告短视频数，整数 >= 0"
    )]
    pub ad_videos: Option<Count>,
    #[schemars(description = "Has native-style footage / 有原生内容素材")]
    pub native_footage: Option<bool>,
    #[schemars(description = "Has factory footage / 有工厂素材")]
    pub factory_footage: Option<bool>,
    #[schemars(description = "Has footage from the place of origin / 有产地素材")]
    pub origin_footage: Option<bool>,
    #[schemars(description = "Has celebrity clips / 有明星素材")]
    pub celebrity_clips: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    #[schemars(description = "Monthly ad spend in CNY, >= 0 / 每月投放预算（元），>= 0")]
    pub monthly_ad_spend: Option<NonNegative>,
    #[schemars(
        description = "Target ROI, GMV divided by ad spend, > 0 / 目标 ROI（GMV ÷ 投放），> 0"
    )]
    pub target_roi: Option<Positive>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Traffic,
    Profit,
    Welfare,
    Hero,
}

#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Product {
    #[schemars(description = "Product name, any text / 商品名称，任意文字")]
    pub name: String,
    #[schemars(
        description = "Role: traffic, profit, welfare or hero / 商品角色：traffic 引流、profit 利润、welfare 福利、hero 主推"
    )]
    pub role: Role,
    #[schemars(description = "Price in CNY, > 0 / 售价（元），> 0")]
    pub price: Positive,
    #[schemars(description = "Unit cost in CNY, >= 0 / 单件成本（元），>= 0")]
    pub unit_cost: Option<NonNegative>,
    #[schemars(description = "Units on hand, integer >= 0 / 库存件数，整数 >= 0")]
    pub stock: Option<Count>,
    #[schemars(description = "Planned share of event GMV, 0 - 1 / 计划占活动 GMV 的比例，0 - 1")]
    pub gmv_share: Option<Fraction>,
    #[schemars(description = "Made for this platform / 平台专供")]
    pub exclusive: Option<bool>,
    #[schemars(
        description = "Price on the event day in CNY, > 0 (flash-sale and welfare items included) / 活动当天售价（元），> 0，含秒杀与福利款"
    )]
    pub event_price: Option<Positive>,
    #[schemars(
        description = "This product's own competitor price band in CNY, each > 0; market.competitor_prices is the fallback / 本商品的竞品价格带（元），每个 > 0；不填时用 market.competitor_prices"
    )]
    pub competitor_prices: Option<Vec<Positive>>,
    #[schemars(description = "Selling points, free text / 卖点，自由填写")]
    pub selling_points: Option<Vec<String>>,
    #[schemars(
        description = "A gift box, bundle or multi-pack, compared only with its own band; when absent, a name with 礼盒, 套装, 组合, gift box or bundle counts as one / 礼盒、套装或组合装，只与自己的竞品价格带比较；不填时按名称判断"
    )]
    pub bundle: Option<bool>,
    #[schemars(
        description = "Physical size: small, medium or large (decides how it is shown on camera) / 商品体积：small 小、medium 中、large 大（决定镜头里怎么陈列）"
    )]
    pub size: Option<ProductSize>,
    #[schemars(
        description = "The current promotion, free text, e.g. buy two get one free / 当期活动，自由填写，如“买二送一”"
    )]
    pub promotion: Option<String>,
    #[schemars(
        description = "Price at offline distributors in CNY, > 0 / 线下经销商的售价（元），> 0"
    )]
    pub offline_price: Option<Positive>,
}

/// A product's physical size, which decides how it is shown on camera (brief A1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProductSize {
    Small,
    Medium,
    Large,
}

/// What kind of sales channel a channel is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChannelKind {
    SelfBroadcast,
    Influencer,
    ShortVideo,
    Distributor,
    Ecommerce,
    Other,
}

/// One sales channel and what it brought in (brief B3: judge channels, cut the weak ones).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    #[schemars(description = "Channel name, free text / 渠道名称，自由填写")]
    pub name: String,
    #[schemars(
        description = "Kind: self_broadcast, influencer, short_video, distributor, ecommerce or other / 类型：self_broadcast 自播、influencer 达人带货、short_video 短视频、distributor 线下经销、ecommerce 货架电商、other 其他"
    )]
    pub kind: Option<ChannelKind>,
    #[schemars(description = "GMV over the period in CNY, >= 0 / 期间 GMV（元），>= 0")]
    pub gmv: Option<NonNegative>,
    #[schemars(
        description = "Money put into it over the period (ads, fees, commissions) in CNY, >= 0 / 期间投入（投放、坑位费、佣金等，元），>= 0"
    )]
    pub spend: Option<NonNegative>,
    #[schemars(description = "Orders over the period, integer >= 0 / 期间订单数，整数 >= 0")]
    pub orders: Option<Count>,
    #[schemars(description = "Last day it sold, YYYY-MM-DD / 最近一次成交日期，YYYY-MM-DD")]
    pub last_active: Option<Date>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct History {
    #[schemars(
        description = "Live sessions in the last 30 days, integer >= 0 / 近 30 天直播场次，整数 >= 0"
    )]
    pub sessions: Option<Count>,
    #[schemars(description = "Average session length in hours, >= 0 / 平均每场时长（小时），>= 0")]
    pub avg_session_hours: Option<NonNegative>,
    #[schemars(description = "GMV in CNY, >= 0 / GMV（元），>= 0")]
    pub gmv: Option<NonNegative>,
    #[schemars(
        description = "Unique visitors to the room, integer >= 0 / 直播间访客数（UV），整数 >= 0"
    )]
    pub uv: Option<Count>,
    #[schemars(
        description = "Product clicks per visitor, 0 - 1 / 商品点击率（点击 ÷ 访客），0 - 1"
    )]
    pub click_rate: Option<Fraction>,
    #[schemars(description = "Orders per visitor, 0 - 1 / 转化率（订单 ÷ 访客），0 - 1")]
    pub conversion_rate: Option<Fraction>,
    #[schemars(description = "Average order value in CNY, >= 0 / 客单价（元），>= 0")]
    pub avg_order_value: Option<NonNegative>,
    #[schemars(
        description = "Ad spend actually paid in the 30 days, CNY, >= 0 / 近 30 天实际投放花费（元），>= 0"
    )]
    pub ad_spend: Option<NonNegative>,
    #[schemars(
        description = "Share of buyers who buy again within 90 days, 0 - 1 / 90 天内再次购买的买家占比（复购率），0 - 1"
    )]
    pub repurchase_rate: Option<Fraction>,
}

/// One live session, as the platform's analytics report it.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    #[schemars(
        description = "The day, with the start time if known: YYYY-MM-DD or YYYY-MM-DD HH:MM / 开播日期，可带开播时间：YYYY-MM-DD 或 YYYY-MM-DD HH:MM"
    )]
    pub date: DayTime,
    #[schemars(description = "Length in hours, >= 0 / 时长（小时），>= 0")]
    pub hours: Option<NonNegative>,
    #[schemars(
        description = "Times the room was shown in feeds, integer >= 0 / 直播间曝光次数，整数 >= 0"
    )]
    pub impressions: Option<Count>,
    #[schemars(description = "Room entries, integer >= 0 / 进入直播间人次，整数 >= 0")]
    pub viewers: Option<Count>,
    #[schemars(description = "Average stay in seconds, >= 0 / 人均停留时长（秒），>= 0")]
    pub avg_stay_seconds: Option<NonNegative>,
    #[schemars(description = "Times products were shown, integer >= 0 / 商品曝光次数，整数 >= 0")]
    pub product_impressions: Option<Count>,
    #[schemars(description = "Product clicks, integer >= 0 / 商品点击次数，整数 >= 0")]
    pub product_clicks: Option<Count>,
    #[schemars(description = "Orders, integer >= 0 / 成交订单数，整数 >= 0")]
    pub orders: Option<Count>,
    #[schemars(description = "GMV in CNY, >= 0 / 成交金额（元），>= 0")]
    pub gmv: Option<NonNegative>,
    #[schemars(description = "Ad spend in CNY, >= 0 / 投放消耗（元），>= 0")]
    pub ad_spend: Option<NonNegative>,
    #[schemars(
        description = "GMV from paid traffic in CNY, >= 0 / 付费流量带来的成交金额（元），>= 0"
    )]
    pub paid_gmv: Option<NonNegative>,
    #[schemars(description = "New followers, integer >= 0 / 新增粉丝数，整数 >= 0")]
    pub new_followers: Option<Count>,
    #[schemars(
        description = "Comments and other interactions, integer >= 0 / 评论等互动次数，整数 >= 0"
    )]
    pub interactions: Option<Count>,
}

/// Costs besides ad spend (brief B5: ROI counts every cost, not ads alone).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Costs {
    #[schemars(
        description = "Platform commission as a share of GMV, 0 - 1 / 平台佣金占 GMV 的比例，0 - 1"
    )]
    pub platform_fee_rate: Option<Fraction>,
    #[schemars(description = "Shipping per order in CNY, >= 0 / 每单运费（元），>= 0")]
    pub shipping_per_order: Option<NonNegative>,
    #[schemars(description = "Share of orders returned, 0 - 1 / 退货率，0 - 1")]
    pub return_rate: Option<Fraction>,
    #[schemars(
        description = "People (anchors, operators, ad buyers) per month in CNY, >= 0 / 每月人力成本（元），>= 0"
    )]
    pub people_monthly: Option<NonNegative>,
    #[schemars(
        description = "Tools and software per month in CNY, >= 0 / 每月工具与软件费用（元），>= 0"
    )]
    pub tools_monthly: Option<NonNegative>,
    #[schemars(
        description = "A service provider's fixed fee per month in CNY, >= 0 / 服务商每月固定服务费（元），>= 0"
    )]
    pub provider_fee_monthly: Option<NonNegative>,
    #[schemars(
        description = "A service provider's commission as a share of GMV, 0 - 1 / 服务商按 GMV 收取的佣金比例，0 - 1"
    )]
    pub provider_commission_rate: Option<Fraction>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Market {
    #[schemars(description = "Competitors' prices in CNY, each > 0 / 竞品价格（元），每个 > 0")]
    pub competitor_prices: Option<Vec<Positive>>,
    #[schemars(
        description = "Demand swings with season or stock pressure / 需求随季节或库存压力波动"
    )]
    pub seasonal_demand: Option<bool>,
    #[schemars(description = "Has membership levels to price by / 有会员等级可分层定价")]
    pub member_tiers: Option<bool>,
    #[schemars(description = "A standardised, cost-sensitive product / 标准化、对价格敏感的商品")]
    pub standardized: Option<bool>,
    #[schemars(
        description = "Has a real, provable difference worth a premium / 有真实可证明的差异，值得溢价"
    )]
    pub differentiated: Option<bool>,
    #[schemars(description = "Target margin, 0 - 1 / 目标毛利率，0 - 1")]
    pub target_margin: Option<Fraction>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Event {
    #[schemars(description = "Target GMV in CNY, > 0 / 目标 GMV（元），> 0")]
    pub target_gmv: Option<Positive>,
    #[schemars(description = "Planned length in hours, > 0 / 计划时长（小时），> 0")]
    pub hours: Option<Positive>,
    #[schemars(description = "Event date, YYYY-MM-DD / 活动日期，YYYY-MM-DD")]
    pub date: Option<Date>,
    /// Longest shift one anchor can hold; 6 when absent.
    #[schemars(
        description = "Longest shift one anchor can hold in hours, > 0; 6 when absent / 单个主播最长连播时长（小时），> 0，不填为 6"
    )]
    pub max_shift_hours: Option<Positive>,
    #[schemars(
        description = "The special scene planned for the event: factory, cloud_warehouse, influencer_residence or none / 活动计划的特别场景：factory 工厂、cloud_warehouse 云仓、influencer_residence 达人驻播、none 无"
    )]
    pub special_scene: Option<SpecialScene>,
}

/// A special scene for a big event (brief A7: a factory, a cloud warehouse, an influencer
/// in residence holds viewers longer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpecialScene {
    Factory,
    CloudWarehouse,
    InfluencerResidence,
    None,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// First day of the plan; day-by-day steps are dated from it.
    #[schemars(description = "First day of the plan, YYYY-MM-DD / 计划第一天，YYYY-MM-DD")]
    pub start_date: Option<Date>,
    #[schemars(description = "Hours live per day on ordinary days, > 0 / 日常每天直播小时数，> 0")]
    pub daily_live_hours: Option<Positive>,
}

/// What a room's background shows (brief A1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Backdrop {
    Brand,
    Promotion,
    ProcessVideo,
    SellingPoints,
}

/// The room's main colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoomColor {
    Red,
    Green,
    Neutral,
    Other,
}

/// How products are shown on camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Display {
    Group,
    Single,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scene {
    #[schemars(
        description = "What the background shows: any of brand, promotion, process_video, selling_points / 背景露出：brand 品牌、promotion 当期活动、process_video 生产过程视频、selling_points 核心卖点，可多选"
    )]
    pub background: Option<Vec<Backdrop>>,
    #[schemars(
        description = "An overlay sticker with product, price and promotion / 有“商品 + 价格 + 活动”贴片"
    )]
    pub overlay: Option<bool>,
    #[schemars(
        description = "Main colour: red, green, neutral or other / 主色：red 红、green 绿、neutral 中性、other 其他"
    )]
    pub color: Option<RoomColor>,
    #[schemars(
        description = "Display: group (shelf, stack, cart) or single (close-ups) / 陈列：group 组合堆头、single 单品特写"
    )]
    pub display: Option<Display>,
    #[schemars(description = "A second camera for close-ups / 有第二机位拍特写")]
    pub second_camera: Option<bool>,
    #[schemars(
        description = "A green screen or mock-factory backdrop behind the anchor / 主播身后有绿幕或仿工厂实景"
    )]
    pub green_screen: Option<bool>,
}

/// The assumptions a profile may override. Each has a documented default in the
/// playbooks' shared facts (`playbooks/facts.yaml`), where its label and source live.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assumptions {
    #[schemars(
        description = "Share of event GMV expected from paid traffic, 0 - 1 / 活动 GMV 中付费流量的占比，0 - 1"
    )]
    pub paid_traffic_share: Option<Fraction>,
    #[schemars(
        description = "Operator posts manned in each event shift, integer >= 0 / 大场每班运营岗位数，整数 >= 0"
    )]
    pub operator_posts_per_shift: Option<Count>,
    #[schemars(
        description = "Monthly ad spend below which an in-house ad buyer cannot be grown, CNY / 自建投手所需的月投放额（元）"
    )]
    pub ad_buyer_min_monthly_spend: Option<NonNegative>,
    #[schemars(
        description = "Ready-to-run ad videos a brand should have before going live, integer >= 0 / 开播前应备的可投放视频数，整数 >= 0"
    )]
    pub ad_video_target: Option<Count>,
    #[schemars(
        description = "Reputation score below which the platform limits traffic, 0 - 5 / 平台限流的口碑分基准线，0 - 5"
    )]
    pub min_reputation_score: Option<Score>,
    #[schemars(
        description = "Followers at which live selling is unlocked, integer >= 0 / 开通直播带货所需粉丝数，整数 >= 0"
    )]
    pub live_unlock_followers: Option<Count>,
    #[schemars(
        description = "One session's GMV that earns an A-level room, CNY / 评为 A 级直播间的单场 GMV（元）"
    )]
    pub a_level_room_gmv: Option<Positive>,
    #[schemars(
        description = "Share of a session's GMV the hero items should carry, 0 - 1 / 爆款应占单场 GMV 的比例，0 - 1"
    )]
    pub hero_share_min: Option<Fraction>,
    #[schemars(
        description = "Largest gap between visitors x conversion x order value and GMV before the data is flagged, 0 - 1 / 访客 × 转化率 × 客单价 与 GMV 的最大允许偏差，0 - 1"
    )]
    pub data_gap_tolerance: Option<Fraction>,
    #[schemars(
        description = "Visitors needed, as a multiple of a normal session's, above which the event names a traffic gap, > 0 / 所需访客超过日常单场多少倍即视为流量缺口，> 0"
    )]
    pub traffic_gap_multiple: Option<Positive>,
    #[schemars(
        description = "Monthly live GMV from which a brand counts as established, CNY / 月直播 GMV 达到多少算成熟（元）"
    )]
    pub established_monthly_gmv: Option<NonNegative>,
    #[schemars(
        description = "Smallest price change, as a share of the price, worth acting on, 0 - 1 / 值得调整的最小价格变动（占售价比例），0 - 1"
    )]
    pub min_price_change: Option<Fraction>,
    #[schemars(
        description = "Store grade below which the platform limits traffic: S, A, B or C / 平台不限流的店铺等级：S、A、B 或 C"
    )]
    pub required_store_level: Option<Grade>,
    #[schemars(
        description = "Shortest event that counts as a big event, hours, > 0 / 大场最短时长（小时），> 0"
    )]
    pub event_min_hours: Option<Positive>,
    #[schemars(
        description = "Longest event worth planning, hours, > 0 / 大场最长时长（小时），> 0"
    )]
    pub event_max_hours: Option<Positive>,
    #[schemars(
        description = "Fewest anchors for a big event, integer >= 0 / 大场至少储备的主播人数，整数 >= 0"
    )]
    pub event_min_anchors: Option<Count>,
    #[schemars(
        description = "Welfare or lucky-bag rounds the operator runs per event hour, > 0 / 每小时发放福利或福袋的轮数，> 0"
    )]
    pub welfare_rounds_per_hour: Option<Positive>,
    #[schemars(
        description = "Units given out in one welfare or lucky-bag round, integer >= 0 / 每轮福利或福袋的件数上限，整数 >= 0"
    )]
    pub welfare_units_per_round: Option<Count>,
    #[schemars(
        description = "Room entries per impression below which traffic is the weak stage, 0 - 1 / 进房率（进房 ÷ 曝光）低于多少算流量环节偏弱，0 - 1"
    )]
    pub funnel_entry_rate_min: Option<Fraction>,
    #[schemars(
        description = "Average stay in seconds below which staying is the weak stage, > 0 / 人均停留低于多少秒算停留环节偏弱，> 0"
    )]
    pub funnel_stay_seconds_min: Option<Positive>,
    #[schemars(
        description = "Product clicks per room entry below which clicking is the weak stage, 0 - 1 / 商品点击率低于多少算点击环节偏弱，0 - 1"
    )]
    pub funnel_click_rate_min: Option<Fraction>,
    #[schemars(
        description = "Orders per product click below which ordering is the weak stage, 0 - 1 / 点击成交率（订单 ÷ 点击）低于多少算下单环节偏弱，0 - 1"
    )]
    pub funnel_order_rate_min: Option<Fraction>,
    #[schemars(
        description = "GMV per room entry below which the room earns too little per viewer, CNY, > 0 / 每位观众带来的成交（UV 价值）低于多少元算偏低，> 0"
    )]
    pub funnel_uv_value_min: Option<Positive>,
    #[schemars(
        description = "Change between the earlier and the later sessions that counts as a trend, 0 - 1 / 前后两段场次相差多少算有升降，0 - 1"
    )]
    pub trend_change_min: Option<Fraction>,
    #[schemars(
        description = "Platform commission as a share of GMV when the profile gives none, 0 - 1 / 资料未给出时按多少计平台佣金（占 GMV），0 - 1"
    )]
    pub platform_fee_rate: Option<Fraction>,
    #[schemars(
        description = "Shipping per order in CNY when the profile gives none, >= 0 / 资料未给出时每单按多少元计运费，>= 0"
    )]
    pub shipping_per_order: Option<NonNegative>,
    #[schemars(
        description = "Share of orders returned when the profile gives none, 0 - 1 / 资料未给出时按多少计退货率，0 - 1"
    )]
    pub return_rate: Option<Fraction>,
    #[schemars(
        description = "Monthly pay per team member when the profile gives no people cost, CNY, >= 0 / 资料未给出人力成本时，每人每月按多少元计，>= 0"
    )]
    pub pay_per_head_monthly: Option<NonNegative>,
    #[schemars(
        description = "Tools and software per month when the profile gives none, CNY, >= 0 / 资料未给出时每月工具费用按多少元计，>= 0"
    )]
    pub tools_monthly: Option<NonNegative>,
    #[schemars(
        description = "Share by which ROI falls each time the monthly ad spend doubles, 0 - 1 / 月投放每翻一倍 ROI 下降的比例，0 - 1"
    )]
    pub roi_fall_per_doubling: Option<Fraction>,
    #[schemars(
        description = "Doublings of the ad spend, up or down, within which the spend model is trusted, > 0 / 投放测算可信的范围：在现投放基础上翻倍或减半的次数，> 0"
    )]
    pub spend_range_doublings: Option<Positive>,
    #[schemars(
        description = "Profit, as a share of GMV, within which a month counts as break-even, 0 - 1 / 利润在 GMV 的多少比例以内算勉强持平，0 - 1"
    )]
    pub marginal_profit_share: Option<Fraction>,
    #[schemars(
        description = "Monthly ad spend at which an in-house ad buyer is surely worth growing, CNY, >= 0 / 月投放达到多少元时一定值得自建投手，>= 0"
    )]
    pub ad_buyer_max_monthly_spend: Option<NonNegative>,
    #[schemars(
        description = "Months a service provider runs the room while the brand's people learn, before they take over, > 0 / 服务商代运营、品牌人员跟学多少个月后交接，> 0"
    )]
    pub handover_months: Option<Positive>,
    #[schemars(
        description = "Days of classroom training per topic for a new anchor, > 0 / 新主播每个培训主题的授课天数，> 0"
    )]
    pub anchor_topic_days: Option<Positive>,
    #[schemars(
        description = "Days of on-camera trial broadcasts for a new anchor, > 0 / 新主播镜头前试播的天数，> 0"
    )]
    pub anchor_trial_days: Option<Positive>,
    #[schemars(
        description = "Days a new anchor co-hosts with a veteran, > 0 / 新主播与老主播搭档直播的天数，> 0"
    )]
    pub anchor_cohost_days: Option<Positive>,
    #[schemars(
        description = "Days a new anchor goes live with an operator watching one-to-one, > 0 / 新主播在运营一对一盯播下直播的天数，> 0"
    )]
    pub anchor_supervised_days: Option<Positive>,
    #[schemars(
        description = "Days without a sale after which a channel counts as lapsed, > 0 / 渠道多少天没有成交算作停滞，> 0"
    )]
    pub channel_lapsed_days: Option<Positive>,
    #[schemars(
        description = "How far an online price may sit below the offline distributors' before it conflicts with them, 0 - 1 / 线上价格低于经销商价格超过多少比例算价格冲突，0 - 1"
    )]
    pub offline_price_gap_max: Option<Fraction>,
}

impl Profile {
    /// Reads and checks a profile file.
    pub fn load(path: &Path) -> Result<Profile> {
        let whole_file = |message: String| Error::Profile {
            location: Location::file(path),
            message,
        };
        // Only a regular file: a FIFO with no writer would block forever, a device such as
        // /dev/zero would never end.
        let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
        if !meta.is_file() {
            return Err(whole_file(
                "not a regular file (a folder, device or pipe); give the profile's YAML file"
                    .into(),
            ));
        }
        let Some(bytes) = read_capped(path, MAX_PROFILE_BYTES)? else {
            return Err(whole_file(format!(
                "larger than {} MB; a brand profile is a few KB, and 10,000 products fit in \
                 about 3 MB",
                MAX_PROFILE_BYTES / (1024 * 1024)
            )));
        };
        Profile::from_bytes(path, &bytes)
    }

    /// Checks profile text; `path` is only used in messages.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Profile> {
        let whole_file = |message: &str| Error::Profile {
            location: Location::file(path),
            message: message.to_string(),
        };
        if bytes.contains(&0) {
            return Err(whole_file(
                "this is a binary file, not a YAML brand profile",
            ));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| whole_file("this file is not UTF-8 text; save the profile as UTF-8"))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let meaningful = text
            .lines()
            .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#') && l.trim() != "---");
        if !meaningful {
            return Err(whole_file(
                "the profile is empty; it needs at least `brand: {name: ...}`",
            ));
        }
        if let Some((line, column)) = too_deep(text, MAX_NESTING) {
            return Err(Error::Profile {
                location: Location::at(path, line, column),
                message: format!(
                    "brackets nested more than {MAX_NESTING} deep; a brand profile needs a few"
                ),
            });
        }
        let profile: Profile = yaml_serde::from_str(text).map_err(|e| yaml_error(path, &e))?;
        profile.check_sizes(path, text)?;
        Ok(profile)
    }

    /// Lists and texts within what the rules can hold: a list the rules copy may have at
    /// most [`MAX_LIST`] entries and a text at most [`MAX_TEXT`] characters, so that a
    /// 10,000-product catalogue runs and anything larger is named here, at its line,
    /// rather than failing deep inside a rule.
    fn check_sizes(&self, path: &Path, text: &str) -> Result<()> {
        let mut lists: Vec<(String, usize)> = Vec::new();
        let mut texts: Vec<(String, usize)> = Vec::new();
        let products = self.products.as_deref().unwrap_or_default();
        lists.push(("products".into(), products.len()));
        texts.push(("brand.name".into(), self.brand.name.chars().count()));
        if let Some(s) = &self.brand.subcategory {
            texts.push(("brand.subcategory".into(), s.chars().count()));
        }
        if let Some(prices) = self
            .market
            .as_ref()
            .and_then(|m| m.competitor_prices.as_ref())
        {
            lists.push(("market.competitor_prices".into(), prices.len()));
        }
        if let Some(sessions) = &self.sessions {
            lists.push(("sessions".into(), sessions.len()));
        }
        if let Some(channels) = &self.channels {
            lists.push(("channels".into(), channels.len()));
            for (i, c) in channels.iter().enumerate() {
                texts.push((format!("channels.{i}.name"), c.name.chars().count()));
            }
        }
        for (i, p) in products.iter().enumerate() {
            texts.push((format!("products.{i}.name"), p.name.chars().count()));
            if let Some(promotion) = &p.promotion {
                texts.push((format!("products.{i}.promotion"), promotion.chars().count()));
            }
            if let Some(prices) = &p.competitor_prices {
                lists.push((format!("products.{i}.competitor_prices"), prices.len()));
            }
            if let Some(points) = &p.selling_points {
                lists.push((format!("products.{i}.selling_points"), points.len()));
                for (j, point) in points.iter().enumerate() {
                    texts.push((
                        format!("products.{i}.selling_points.{j}"),
                        point.chars().count(),
                    ));
                }
            }
        }
        let too_long = texts.iter().find(|(_, n)| *n > MAX_TEXT);
        let too_many = lists.iter().find(|(_, n)| *n > MAX_LIST);
        if too_long.is_none() && too_many.is_none() {
            return Ok(());
        }
        let map = crate::playbook::source::SourceMap::build(text);
        let at = |field: &str| match map.get(field) {
            Some(span) => Location::at(path, span.line, span.column),
            None => Location::file(path),
        };
        // `products.2.name` as a reader counts it: `products[3].name`.
        let shown = |field: &str| {
            let mut out = String::new();
            for part in field.split('.') {
                match part.parse::<usize>() {
                    Ok(n) => out.push_str(&format!("[{}]", n + 1)),
                    Err(_) if out.is_empty() => out.push_str(part),
                    Err(_) => {
                        out.push('.');
                        out.push_str(part);
                    }
                }
            }
            out
        };
        if let Some((field, n)) = too_many {
            return Err(Error::Profile {
                // The first entry past the limit.
                location: map
                    .get(&format!("{field}.{MAX_LIST}"))
                    .or_else(|| map.get(&format!("{field}.{MAX_LIST}.name")))
                    .map_or_else(|| at(field), |s| Location::at(path, s.line, s.column)),
                message: format!(
                    "`{}` has {n} entries; at most {MAX_LIST} fit the rules",
                    shown(field)
                ),
            });
        }
        let (field, n) = too_long.expect("one of the two is too large");
        Err(Error::Profile {
            location: at(field),
            message: format!(
                "`{}` is {n} characters long; at most {MAX_TEXT} fit a report",
                shown(field)
            ),
        })
    }

    /// The profile file's name without its extension: the output folder for its reports,
    /// made safe as a single folder name.
    ///
    /// ```
    /// use playbook_engine::profile::Profile;
    /// use std::path::Path;
    /// assert_eq!(Profile::slug(Path::new("brands/jiaoyu-snacks.yaml")), "jiaoyu-snacks");
    /// assert_eq!(Profile::slug(Path::new("...yaml")), "brand");
    /// assert_eq!(Profile::slug(Path::new(".hidden.yaml")), "hidden");
    /// ```
    pub fn slug(path: &Path) -> String {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // A folder name, never a path: no separators or control characters, and no
        // leading dots (`...yaml` would otherwise name `..`, above the output folder).
        let safe: String = stem
            .chars()
            .map(|c| {
                if c == '/' || c == '\\' || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let safe = safe.trim_start_matches('.');
        if safe.is_empty() {
            "brand".to_string()
        } else {
            safe.to_string()
        }
    }
}

/// The most entries a list in a profile may have (products, prices, selling points).
pub const MAX_LIST: usize = 10_000;
/// The longest text in a profile (a name, a selling point), in characters.
pub const MAX_TEXT: usize = 2_000;

/// A file's bytes, reading at most `max` of them: `None` when the file is larger.
pub(crate) fn read_capped(path: &Path, max: u64) -> Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(max + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::io(path, e))?;
    Ok((bytes.len() as u64 <= max).then_some(bytes))
}

/// The largest profile file read, in bytes.
pub const MAX_PROFILE_BYTES: u64 = 8 * 1024 * 1024;

/// The deepest `[`/`{` nesting a profile may have. A real one nests three or four deep;
/// the YAML parser takes quadratic time on very deep flow collections (50 s for 100,000).
pub(crate) const MAX_NESTING: usize = 64;

/// Where (line, column, 1-based) the flow-collection nesting of `text` first passes
/// `limit`, skipping quoted strings and comments; `None` if it never does.
pub(crate) fn too_deep(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (n, line) in text.lines().enumerate() {
        let mut prev = ' ';
        let mut chars = line.chars().enumerate().peekable();
        while let Some((col, c)) = chars.next() {
            match (quote, c) {
                (Some('"'), '\\') => {
                    chars.next();
                }
                (Some('\''), '\'') if chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                    chars.next();
                }
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                // A quote opens a string only where a scalar starts (`Tom's` is plain text).
                (None, '"' | '\'') if matches!(prev, ' ' | '\t' | '[' | '{' | ',' | ':' | '-') => {
                    quote = Some(c)
                }
                (None, '#') if prev.is_whitespace() => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > limit {
                        return Some((n + 1, col + 1));
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
            prev = c;
        }
    }
    None
}

/// Turns a YAML error into a one-line message at its line and column.
pub(crate) fn yaml_error(path: &Path, e: &yaml_serde::Error) -> Error {
    let location = match e.location() {
        Some(l) => Location::at(path, l.line(), l.column()),
        None => Location::file(path),
    };
    let mut message = e.to_string();
    // The parser appends " at line L column C"; the location already says it.
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    let message = crate::suggest::explain_unknown(&message)
        .replace("invalid type: unit value", "missing value")
        .replace('\n', " ");
    Error::Profile { location, message }
}

#[cfg(test)]
mod tests {

    #[test]
    fn nesting_is_measured_outside_strings_and_comments() {
        assert_eq!(too_deep("a: [[1]]", 2), None);
        assert_eq!(too_deep("a: [[[1]]]", 2), Some((1, 6)));
        assert_eq!(too_deep("a: '[[[['  # [[[[\nb: \"{{{{\"", 2), None);
        assert_eq!(too_deep("a: 'it''s [[[['\nb: [[", 2), None);
        assert_eq!(too_deep("name: Tom's [[[shop]]]", 2), Some((1, 15)));
        assert_eq!(too_deep("a: \"x\\\" [[[\"", 2), None);
        assert_eq!(too_deep("a: [\n  [\n    [1]]]", 2), Some((3, 5)));
    }

    use super::*;

    fn load(text: &str) -> Result<Profile> {
        Profile::from_bytes(Path::new("p.yaml"), text.as_bytes())
    }

    #[test]
    fn minimal_profile_loads() {
        let p = load("brand: {name: x}").unwrap();
        assert_eq!(p.brand.name, "x");
        assert!(p.account.is_none());
    }

    #[test]
    fn unknown_key_names_place_and_suggestion() {
        let e = load("brand:\n  name: x\naccount:\n  reputation_scor: 4.0\n").unwrap_err();
        let m = e.to_string();
        assert!(m.starts_with("p.yaml:4:3:"), "{m}");
        assert!(m.contains("did you mean `reputation_score`"), "{m}");
    }

    #[test]
    fn out_of_range_names_place_and_range() {
        let e = load("brand:\n  name: x\naccount:\n  reputation_score: 7.5\n").unwrap_err();
        let m = e.to_string();
        assert!(m.starts_with("p.yaml:4:"), "{m}");
        assert!(m.contains("from 0.0 to 5.0"), "{m}");
        let e = load("brand: {name: x}\nteam: {anchors: -1}\n").unwrap_err();
        assert!(e.to_string().contains(">= 0"), "{e}");
        // A count a rule could overflow on is a typing slip.
        let e = load("brand: {name: x}\naccount: {followers: 10000000000000}\n").unwrap_err();
        assert!(e.to_string().contains("at most 1e12"), "{e}");
        assert!(load("brand: {name: x}\naccount: {followers: 1000000000000}\n").is_ok());
    }

    #[test]
    fn lists_and_texts_beyond_what_rules_hold_are_named_at_their_line() {
        let product = |i: usize| format!("  - {{name: p{i}, role: traffic, price: 1}}\n");
        let many: String = (0..=MAX_LIST).map(product).collect();
        let e = load(&format!("brand: {{name: x}}\nproducts:\n{many}")).unwrap_err();
        let m = e.to_string();
        assert!(m.starts_with(&format!("p.yaml:{}:", MAX_LIST + 3)), "{m}");
        assert!(
            m.contains("`products` has 10001 entries; at most 10000"),
            "{m}"
        );
        let fits: String = (0..MAX_LIST).map(product).collect();
        assert!(load(&format!("brand: {{name: x}}\nproducts:\n{fits}")).is_ok());
        let long = "长".repeat(MAX_TEXT + 1);
        let e = load(&format!("brand: {{name: x}}\nproducts:\n  - {{name: a, role: hero, price: 1}}\n  - {{name: {long}, role: hero, price: 1}}\n")).unwrap_err();
        let m = e.to_string();
        assert!(m.starts_with("p.yaml:4:"), "{m}");
        assert!(
            m.contains("`products[2].name` is 2001 characters long"),
            "{m}"
        );
    }
}
