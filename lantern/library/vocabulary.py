"""Lantern's controlled vocabularies: the two-level topic list and the recurring report
series. Both are our own editorial design, loaded by `services.sync_reference_data`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class TopicSpec:
    """A topic of the vocabulary.

    `keywords` are the plain phrases shown to curators (and used by `lantern add`'s
    quick suggestions). `cues`, `not_in` and `implies` are what the tagger
    (`lantern.library.tagging`) reads:

    - a cue is ``"WEIGHT:PATTERN"`` or ``"WEIGHT:PATTERN@CONTEXT"``. PATTERN is a
      regular expression over the folded text (lower case, accents dropped, curly
      quotes and dashes made plain), matched as whole words; a space in it matches
      any run of spaces and hyphens ("brick kiln" finds "brick-kiln"). WEIGHT says
      how much one mention tells: 3 settles the topic alone, 2 nearly, 1 only with
      company. ``@CONTEXT`` names an entry of `CONTEXTS` that must occur in the same
      sentence ("kilns" counts for brick kilns only near "brick"). ``WEIGHT!:`` makes
      the pattern case-sensitive (for names such as "… Act").
    - `not_in` are patterns of non-topical uses: a cue found inside one counts for
      nothing ("bar association", "land mines", "hunger strike").
    - `implies` are topics this one brings with it (child labour → children).
    """

    slug: str
    name: str
    keywords: tuple[str, ...] = ()
    description: str = ""
    cues: tuple[str, ...] = ()
    not_in: tuple[str, ...] = ()
    implies: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupSpec:
    slug: str
    name: str
    description: str
    topics: tuple[TopicSpec, ...] = field(default_factory=tuple)


T = TopicSpec

# Word families used by several topics' cues.
LABOUR = r"labou?r"
TRAFFICKED = r"traffick(?:ed|ing|ers?)"
AGE_UNDER_18 = (
    r"(?:[1-9]|1[0-7]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen)"
)
KIDS = r"(?:children|child|boys?|girls?|minors?|adolescents?|teenagers?|pupils)"

# Contexts a cue can ask for in its sentence (``@name``).
CONTEXTS: dict[str, str] = {
    # Coercion and abuse: what turns work, begging or marriage into exploitation.
    "coercion": (
        r"traffick\w*|exploit\w*|forced|forcibly|force|coerc\w*|abus\w*|slave\w*|"
        r"servitude|confin\w*|locked|held|unpaid|without pay|no wages|not paid|"
        r"never paid|paid nothing|withh[eo]ld\w*|confiscat\w*|against (?:their|her|his) "
        r"will|beaten|beat|threat\w*|trapped|debts?|bonded|sold|victims?|rescued|"
        r"made to|underfed|denied|kept (?:her|him|them)|almost nothing|nothing"
    ),
    "kids": KIDS + r"|under 18|as young as|aged? " + AGE_UNDER_18,
    "armed": (
        r"armed groups?|armed forces|militias?|rebels?|army|fighters?|guerrill\w+|"
        r"insurgen\w+|faction|military|tigers|al-shabaab|boko haram|isis|lra|"
        r"revolutionary guards|tatmadaw"
    ),
    "sex": r"sex\w*|prostitut\w*|brothels?|clients|escorts?|hostess\w*|karaoke",
    "brick": r"bricks?|brick\w+|kiln owners?|moulding|mould",
    "domestic": (
        r"domestic|household|maids?|housemaids?|cook\w*|clean\w*|nann(?:y|ies)|"
        r"famil(?:y|ies)|home"
    ),
    "kidney": r"kidneys?|organs?|transplants?|donors?",
    "help": (
        r"calls?|callers?|call|report\w*|victims?|help|free|toll|24-hour|operators?|"
        r"dial\w*|numbers?|interpreters"
    ),
    "work": r"work\w*|jobs?|employ\w*|labou?r\w*|recruit\w*|wages?",
}

# Names and titles in which topic words say nothing about the topic, for every topic.
NOT_TOPICAL: tuple[str, ...] = (
    r"save the children",
    r"un women",
    r"(?:ministry|department|council|commission|secretary|office) (?:of|for) "
    r"(?:the )?[a-z ,']{0,40}?(?:women|children|childhood|gender)(?:'s)?"
    r"(?: (?:and|affairs|development|social|vulnerable|motherhood|populations?)"
    r"[a-z ,]{0,40})?",
    r"rights of the child",
    r"customs and border protection",
    r"trafficking victims protection act",
    r"\(prevention\) act",
    r"prisoners? of conscience",
    r"international labou?r organi[sz]ation",
)

VOCABULARY: tuple[GroupSpec, ...] = (
    GroupSpec(
        "forms",
        "Forms of exploitation",
        "What victims are trafficked or held for.",
        (
            T(
                "sex-trafficking",
                "Sex trafficking / commercial sexual exploitation",
                (
                    "sex trafficking",
                    "sexual exploitation",
                    "prostitution",
                    "brothel",
                    "sex trade",
                    "sex work",
                    "child sex tourism",
                    "pornography",
                ),
                cues=(
                    r"3:sex[- ]?traffick\w*",
                    r"3:traffick\w* (?:\w+ ){0,3}for (?:the purposes? of )?"
                    r"(?:commercial )?sex\w*",
                    r"3:(?:commercial )?sexual(?:ly)? exploit\w*",
                    r"3:exploited (?:\w+ ){0,2}sexually",
                    r"3:commercial sex\w*",
                    r"3:prostitut\w*",
                    r"3:sex (?:trade|work|workers?|industry|slaves?|slavery|services?|"
                    r"tourism|tourists?|chat|for (?:money|food|rent))",
                    r"3:sexual (?:slavery|slaves?|servitude|services|favou?rs)",
                    r"3:(?:sell|sells|selling|sold|exchange|exchanged|exchanging) sex",
                    r"3:in exchange for sex",
                    r"3:child sex\w*",
                    r"3:pimps?",
                    r"3:bacha bazi",
                    r"3:(?:leave|go|drink|dance) with (?:the )?clients",
                    r"2:brothels?",
                    r"2:red[- ]light",
                    r"2:escort\w*",
                    r"2:pornograph\w*",
                    r"2:sexually abus\w*",
                    r"2:sexual abuse",
                    r"2:dancing boys",
                    r"1:sexual violence",
                    r"1:livestream\w*",
                ),
            ),
            T(
                "forced-labour",
                "Forced labour",
                (
                    "forced labor",
                    "forced labour",
                    "labor trafficking",
                    "labour trafficking",
                    "slave labor",
                    "slave labour",
                    "slavery",
                    "servitude",
                ),
                cues=(
                    rf"3:forced (?:child )?{LABOUR}(?:ers?)?",
                    rf"3:{LABOUR} (?:trafficking|exploitation)",
                    rf"3:traffick\w* (?:\w+ ){{0,3}}for (?:forced )?{LABOUR}",
                    rf"3:exploited (?:\w+ ){{0,2}}for (?:their )?{LABOUR}",
                    rf"3:slave[- ]?{LABOUR}",
                    r"3:slave-like",
                    r"3:(?:conditions )?analogous to slavery",
                    r"3:involuntary servitude",
                    r"3:(?:forced|made|compelled|coerced|forcing \w+) to (?:work|pick|"
                    r"carry|clear|cut|dig|build|labou?r)",
                    r"2:slavery",
                    r"2:enslav\w+",
                    r"2:slaves?",
                    r"1:servitude",
                    r"2:against (?:their|his|her) will",
                    r"2:(?:could not|couldn't|cannot|not allowed to|unable to|"
                    r"prevented from|rarely allowed) (?:\w+ ){0,2}(?:leave|out|go home)",
                    r"2:(?:not (?:be )?allowed|not free) to (?:leave|go)",
                    r"2:locked (?:in|inside|up|them)",
                    r"2:held (?:captive|on|in|against|behind)",
                    r"2:(?:confiscat\w+|kept|held|took|retained|retention of|hold) "
                    r"(?:\w+ ){0,2}(?:passports?|identity documents|documents|papers)",
                    r"2:(?:wages|pay|earnings) (?:were |was )?withh[eo]ld\w*",
                    r"2:withh[eo]ld\w* (?:their |the )?(?:wages|pay)",
                    r"1:(?:never|not|without being) (?:been )?paid",
                    r"1:without (?:pay|wages)|unpaid|no wages|paid nothing",
                    r"1:beaten|guarded",
                ),
                not_in=(
                    r"sexual slavery",
                    r"sexual slaves?",
                    r"(?:domestic|sexual|household) servitude",
                    r"modern slavery act",
                ),
            ),
            T(
                "debt-bondage",
                "Debt bondage",
                (
                    "debt bondage",
                    "bonded labor",
                    "bonded labour",
                    "debt peonage",
                    "owed a debt",
                    "peonage",
                ),
                cues=(
                    r"3:debt bondage",
                    rf"3:bonded (?:{LABOUR}(?:ers?)?|workers?)",
                    r"3:(?:debt )?peonage",
                    r"3:(?:repay|pay off|paid off|work off|worked off|pay back) (?:\w+ )"
                    r"{0,3}(?:debts?|loans?|advances?|the cost|the advance)",
                    r"3:(?:in|into) debt",
                    r"3:indebted\w*",
                    r"2:bondage",
                    r"2:debts?",
                    r"2:owe|owes|owed|owing",
                    r"2:(?:an|cash|the|small) advances?",
                    r"1:advances? (?:of|for)",
                    r"1:(?:borrow\w*|loans?|moneylenders?|microcredit|microfinance)",
                    r"1:(?:recruitment|placement) fees",
                ),
                not_in=(
                    r"(?:public|national|external|sovereign|government) debts?",
                    r"debt (?:relief|crisis)",
                    r"owing to",
                    r"in advance",
                    r"sexual bondage",
                ),
            ),
            T(
                "domestic-servitude",
                "Domestic servitude",
                (
                    "domestic servitude",
                    "domestic servant",
                    "nanny",
                    "housemaid",
                    "maid",
                ),
                cues=(
                    r"3:domestic (?:servitude|slavery)",
                    r"3:(?:household|domestic) slaves?",
                    r"3:restav[eè]ks?",
                    r"3:petites? bonnes?",
                    r"2:servitude@domestic",
                    r"2:domestic (?:workers?|helpers?|servants?|service|work)@coercion",
                    r"2:(?:house)?maids?@coercion",
                    r"2:nann(?:y|ies)@coercion",
                    r"2:(?:cook|cooks|cooked|cooking|clean|cleans|cleaned|cleaning) "
                    r"(?:and|or) (?:clean|cleans|cleaned|cleaning|cook|cooks|cooked|"
                    r"cooking)@coercion",
                    r"1:(?:households?|homes?)@coercion",
                ),
                not_in=(r"domestic (?:violence|law|flights?|trafficking|product)",),
                implies=("domestic-work",),
            ),
            T(
                "forced-begging",
                "Forced begging",
                ("forced begging", "street begging", "begging"),
                cues=(
                    r"3:forced begging",
                    r"3:(?:forced|forcing|made|sent|compelled|trafficked|used|taken|"
                    r"exploited) (?:\w+ ){0,2}to beg",
                    r"3:begging (?:rings?|gangs?|networks?|mafia|syndicates?)",
                    r"3:talibes?",
                    r"3:almajiri",
                    r"2:(?:beg|begs|begged|begging)@coercion",
                    r"2:(?:beg|begs|begged|begging)@kids",
                    r"1:(?:beg|begs|begged|begging|beggars?)",
                    r"1:alms",
                ),
                not_in=(r"begs? the question", r"beggars' homes"),
            ),
            T(
                "child-soldiers",
                "Child soldiers",
                ("child soldier", "combatant", "armed group", "recruit children"),
                cues=(
                    r"3:child (?:soldiers?|combatants?|fighters?)",
                    r"3:(?:recruit\w*|use|used|using|abduct\w*|conscript\w*) (?:of )?"
                    rf"(?:\w+ ){{0,2}}{KIDS}@armed",
                    rf"3:{KIDS} (?:\w+ ){{0,6}}(?:to fight|as fighters|as combatants|"
                    r"as (?:suicide )?bombers|as guards|for military training|in combat|"
                    r"to staff checkpoints|guard checkpoints)",
                    r"3:recruited as minors",
                    r"3:(?:forcing|forced) the boys to fight",
                    r"3:military training@kids",
                    r"2:(?:armed groups?|armed forces|militias?|rebels?|army|faction|"
                    r"fighters|ranks)@kids",
                    r"1:combatants?|to fight",
                ),
                implies=("children",),
            ),
            T(
                "organ-removal",
                "Organ removal",
                ("organ removal", "organ trafficking", "sale of organs", "kidney"),
                cues=(
                    r"3:organ (?:removal|trafficking|trade|harvesting|sales?|brokers?|"
                    r"sellers?|transplants?)",
                    r"3:organs? (?:were |was |had been )?(?:removed|harvested)",
                    r"3:(?:sale|selling|trade) (?:of|in) (?:human )?organs",
                    r"3:(?:sell|sells|sold|selling|buy|buying|bought) (?:\w+ ){0,2}"
                    r"(?:kidneys?|livers?|organs?)",
                    r"3:kidney (?:sellers?|trade|racket|market|brokers?|transplants?|"
                    r"donors?)",
                    r"3:(?:commercial |illegal )?transplant(?:s|ation)?",
                    r"2:kidneys?",
                    r"1:(?:donors?|organs?)@kidney",
                ),
                not_in=(
                    r"(?:chronic )?kidney (?:disease|failure|damage|injur\w+)",
                    r"kidney beans?",
                ),
            ),
            T(
                "forced-marriage",
                "Forced marriage",
                ("forced marriage", "child marriage", "bride", "early marriage"),
                cues=(
                    r"3:forced (?:into )?marriages?",
                    r"3:forced to marry",
                    r"3:(?:child|early|arranged|temporary|sham) marriages?",
                    r"3:child brides?",
                    r"3:bride (?:price|kidnapping|trafficking|buying|wealth)",
                    r"3:(?:sold|sell|selling|bought|buy) (?:\w+ ){0,2}(?:as|into) "
                    r"(?:brides?|wives|marriage)",
                    r"3:married (?:off|early|before|at \d+|as children)",
                    r"3:marry (?:off|early)",
                    r"3:marriage brokers?",
                    r"3:(?:taken|took|serve|kept) (?:\w+ ){0,2}as '?wives",
                    r"3:in marriage",
                    r"2:brides?",
                    r"2:'marriages?'",
                    r"2:accept the marriage",
                    r"1:'?wives'?",
                    r"1:dowr(?:y|ies)",
                    r"1:marriages?|marry|married",
                ),
            ),
            T(
                "forced-criminality",
                "Forced criminality",
                (
                    "forced criminality",
                    "drug trafficking",
                    "forced to commit",
                    "drug mule",
                    "coca",
                ),
                cues=(
                    r"3:forced criminality",
                    r"3:criminal exploitation",
                    r"3:(?:forced|forcing|made|compelled|coerced|trained|recruit\w*|"
                    r"used) (?:\w+ ){0,2}to (?:commit|steal|pick ?pockets?|shoplift|"
                    r"burgle|burglar\w*|rob|sell drugs|carry drugs|transport drugs|"
                    r"smuggle drugs|deal drugs|carry (?:out )?(?:online )?(?:scams?|"
                    r"fraud)|run (?:\w+ ){0,3}scams?|tend cannabis|grow cannabis)",
                    r"3:scam (?:compounds?|centres?|centers?|farms?|operations?|"
                    r"factories)",
                    r"3:county lines",
                    r"3:drug mules?",
                    r"3:cannabis (?:farms?|factor(?:y|ies)|plants|cultivation|grows?)",
                    r"2:(?:online|cyber|romance|investment|crypto\w*) (?:scams?|fraud)",
                    r"2:pick ?pockets?|pickpocket\w*|shoplift\w*|burgl\w+|petty crime",
                    r"2:(?:carry|carrying|carried|transport\w*|sell\w*|smuggl\w*) "
                    r"(?:\w+ ){0,1}(?:drugs|cocaine|heroin|narcotics)",
                    r"2:drug (?:trafficking|offences|dealing)@coercion",
                    r"2:(?:coca|illicit (?:narcotics|activities|crops))@coercion",
                    r"1:criminally responsible",
                    r"1:scams?",
                ),
            ),
            T(
                "child-labour",
                "Child labour",
                (
                    "child labor",
                    "child labour",
                    "working children",
                    "child laborer",
                    "worst forms of child labor",
                ),
                cues=(
                    rf"3:child {LABOUR}(?:ers?)?",
                    r"3:child (?:workers?|miners?|domestic workers?)",
                    r"3:working children",
                    r"3:minimum age (?:of|for) (?:employment|work)",
                    r"3:(?:left|leave|out of|miss) school (?:\w+ ){0,3}to (?:work|dig|"
                    r"pick)",
                    r"3:hired out",
                    rf"2:{KIDS} (?:\w+ ){{0,5}}(?:work|works|working|worked|employed|"
                    r"toil\w*|dig|digs|pick|picks|mould|carry|carries|peel\w*|"
                    r"sell|sells|crawl\w*|collect\w*)",
                    rf"2:(?:employment|employ|employing) of {KIDS}",
                    r"2:hazardous (?:work|jobs|labou?r)",
                    r"2:miss(?:es|ed)? school|lose (?:\w+ ){0,4}pupils",
                    r"1:(?:including|and) (?:\d+ |young )?children@work",
                ),
                implies=("children",),
            ),
        ),
    ),
    GroupSpec(
        "sectors",
        "Sectors",
        "Where exploitation takes place.",
        (
            T(
                "mining",
                "Mining",
                ("mining", "mine", "gold"),
                cues=(
                    r"3:mining",
                    r"3:miners?",
                    r"3:galamsey",
                    r"3:(?:gold|coal|tin|cobalt|jade|diamond|mica|copper|silver|"
                    r"artisanal|small-scale|informal|illegal|rat-hole) (?:\w+ ){0,1}"
                    r"(?:mines?|pits|panning)",
                    r"2:mines?",
                    r"2:gold|cobalt|coltan|mica|diamonds?|cassiterite",
                    r"2:quarr(?:y|ies)",
                    r"2:ore",
                    r"1:mercury|dredges?|pits|coal",
                ),
                not_in=(
                    r"(?:of|is|was|are|were|be|and) mine",
                    r"land ?mines?",
                    r"mine (?:clearance|action|risk|victims|of information)",
                    r"anti-?personnel mines?",
                    r"gold (?:coast|medal|standard)",
                ),
            ),
            T(
                "logging",
                "Logging",
                ("logging", "timber", "forestry"),
                cues=(
                    r"3:logging",
                    r"3:loggers?",
                    r"3:timber",
                    r"3:forestry",
                    r"3:sawmills?",
                    r"3:(?:cut|cuts|cutting|fell|felling|felled|clear|clearing|"
                    r"cleared|burn) (?:\w+ ){0,2}(?:forest|trees|rosewood|mahogany|"
                    r"cedar|teak|peat forest)",
                    r"2:rosewood|mahogany|teak|cedar",
                    r"2:charcoal",
                    r"2:deforestation",
                    r"2:chainsaws?",
                    r"1:forests?",
                ),
            ),
            T(
                "agriculture",
                "Agriculture",
                ("agriculture", "plantation", "farm", "harvest"),
                cues=(
                    r"3:agricultur\w*",
                    r"3:plantations?",
                    r"3:farm(?:ing|ers?|workers?|hands?|labou?rers?)",
                    r"3:ranch(?:es|ers?)?",
                    r"3:orchards?",
                    r"3:(?:cocoa|cacao|coffee|cotton|tea|tobacco|sugar ?cane|palm oil|"
                    r"rubber|hazelnut|tomato|grape|fruit|strawberry|vegetable|rice|"
                    r"citrus) (?:farms?|fields|harvest|plantations?|estates?|pickers?|"
                    r"growers?|cutters?|picking)",
                    r"2:farms?",
                    r"2:harvests?",
                    r"2:crops?",
                    r"2:cattle|livestock|herd\w*",
                    r"2:(?:cocoa|cacao|coffee|cotton|tobacco|sugar ?cane|cane|palm oil|"
                    r"tomato(?:es)?|grapes|citrus|watermelons|hazelnuts?|brazil nuts|"
                    r"cassava|maize|coca (?:growers|leaf|crops))",
                    r"2:pick(?:ed|ing)? (?:\w+ ){0,1}(?:fruit|cotton|grapes|citrus|"
                    r"tea|coffee)|pickers",
                    r"1:fields",
                    r"1:seasonal workers",
                ),
                not_in=(
                    r"(?:troll|click|scam|server|content|cannabis|fish|shrimp|wind|"
                    r"solar|bot) farms?",
                    r"organ harvest\w*",
                    r"harvest\w* (?:of )?organs",
                ),
            ),
            T(
                "fishing",
                "Fishing",
                ("fishing", "fishermen", "fishing boat", "seafood"),
                cues=(
                    r"3:fishing",
                    r"3:fisher(?:men|man|s|ies|folk)?",
                    r"3:trawlers?",
                    r"3:seafood",
                    r"3:(?:long-?liners?|squid jiggers?|jiggers?)",
                    r"3:aquaculture|fish farms?|fish processing",
                    r"3:shrimp (?:peeling|processing|farms?)",
                    r"2:shrimp|prawns?|squid|tuna|fish",
                    r"2:(?:at sea|vessels?|boats?|deckhands?|crew)",
                    r"1:catch|nets",
                ),
                not_in=(r"fishing expedition",),
            ),
            T(
                "brick-kilns",
                "Brick kilns",
                ("brick kiln", "brick-making", "brick making"),
                cues=(
                    r"3:brick ?kilns?",
                    r"3:brick(?:yards?|works|fields?| chambers?)",
                    r"3:brick ?(?:making|makers?|factor(?:y|ies))",
                    r"2:kilns?@brick",
                    r"2:kiln owners?",
                    r"2:bricks?",
                    r"1:kilns?",
                ),
                not_in=(
                    r"brick-and-mortar",
                    r"bricks and mortar",
                    r"charcoal kilns?",
                ),
            ),
            T(
                "manufacturing",
                "Manufacturing",
                ("factory", "factories", "garment", "manufacturing", "textile"),
                cues=(
                    r"3:factor(?:y|ies)",
                    r"3:manufactur\w+",
                    r"3:garments?",
                    r"3:textiles?",
                    r"3:sweatshops?",
                    r"3:(?:spinning|textile|garment|cotton) mills?",
                    r"3:(?:carpet|glove|shoe|footwear|apparel|electronics) (?:\w+ )"
                    r"{0,1}(?:factor(?:y|ies)|makers?|manufactur\w+|industry|weav\w+)",
                    r"2:sewing|stitching|weaving|assembly lines?",
                    r"2:electronics",
                    r"1:mills?|clothes|clothing",
                ),
                not_in=(
                    r"(?:cannabis|scam|fraud|troll|baby|peeling|processing) "
                    r"factor(?:y|ies)",
                ),
            ),
            T(
                "construction",
                "Construction",
                ("construction",),
                cues=(
                    r"3:construction",
                    r"3:building sites?|construction sites?",
                    r"3:(?:building|built|build|builds) (?:\w+ ){0,2}(?:stadiums?|roads?|"
                    r"resorts?|hotels?|houses|homes|apartments|dams?|bridges|towers|"
                    r"skyscrapers|railways?)",
                    r"2:builders?",
                    r"2:scaffold\w*|bricklayers?|masons?|cement",
                ),
                not_in=(
                    r"social construction",
                    r"under construction",
                    r"construction of (?:an? )?(?:image|identity|narrative|meaning)",
                ),
            ),
            T(
                "domestic-work",
                "Domestic work",
                ("domestic work", "domestic worker", "domestic service"),
                cues=(
                    rf"3:domestic (?:workers?|work|service|helpers?|servants?|"
                    rf"{LABOUR}|employment|servitude|slavery)",
                    r"3:(?:house)?maids?",
                    r"3:nann(?:y|ies)",
                    r"3:restav[eè]ks?",
                    r"3:petites? bonnes?",
                    r"3:kasambahay",
                    r"2:housekeepers?|au pairs?|domestics",
                    r"2:household (?:work|workers?|chores|help|service)",
                    r"2:(?:cook|cooks|cooked|cooking|clean|cleans|cleaned|cleaning) "
                    r"(?:and|or) (?:clean|cleans|cleaned|cleaning|cook|cooks|cooked|"
                    r"cooking)",
                    r"1:caregivers?",
                ),
                not_in=(
                    r"domestic (?:violence|law|legislation|flights?|trafficking|"
                    r"product|courts?|market|economy|abuse|politics|tourists?)",
                ),
            ),
            T(
                "sex-industry",
                "Entertainment and sex industry",
                ("nightclub", "bar", "entertainment", "massage parlor", "karaoke"),
                cues=(
                    r"3:brothels?",
                    r"3:night ?clubs?",
                    r"3:(?:go-go|beer|karaoke|hostess|dance|girlie|strip) (?:bars?|"
                    r"clubs?|parlou?rs?|halls?)",
                    r"3:karaoke",
                    r"3:massage (?:parlou?rs?|businesses|establishments|salons?|shops?)",
                    r"3:entertainment (?:establishments?|venues?|industry|sector|clubs?|"
                    r"workers?)",
                    r"3:sex (?:industry|trade|clubs?|shops?)",
                    r"3:red[- ]light (?:district|area)s?",
                    r"3:escort (?:services?|agenc\w+|advertisements?|ads?|sites?)",
                    r"3:prostibares?",
                    r"2:sex work(?:ers?)?",
                    r"2:bars?@sex",
                    r"2:hostess(?:es)?|go-go",
                    r"2:pornograph\w*|webcam\w*|sex chat",
                    r"1:bars?",
                    r"1:cantinas?|parlou?rs?|escorts?",
                ),
                not_in=(
                    r"bar (?:association|council|exam\w*|code|chart|graph)",
                    r"behind bars",
                    r"nail bars?",
                    r"(?:chocolate|candy|snack|crow|sand) ?bars?",
                ),
            ),
            T(
                "tourism",
                "Tourism",
                ("tourism", "tourist", "hotel"),
                cues=(
                    r"3:touris(?:m|ts?)",
                    r"3:resorts?",
                    r"3:cruise (?:ships?|lines?|liners?)",
                    r"3:tour (?:guides?|operators?|packages?)",
                    r"3:voluntourism|orphanage tourism",
                    r"2:hotels?|guest ?houses?|hostels?",
                    r"1:beach(?:es)?|holiday\w*|visitors",
                ),
                not_in=(
                    r"tourist visas?",
                    r"last resort",
                    r"transplant tourism",
                    r"medical tourism",
                ),
            ),
        ),
    ),
    GroupSpec(
        "groups",
        "Affected groups",
        "Who is exploited.",
        (
            T(
                "women",
                "Women",
                ("women", "woman", "girls"),
                cues=(
                    r"3:wom[ae]n",
                    r"3:girls?",
                    r"3:females?",
                    r"3:mothers?|wives|wife|widows?|sisters?",
                    r"2:daughters?|brides?|housemaids?|maids?|nann(?:y|ies)",
                    r"1:she|her",
                ),
                not_in=(r"wom[ae]n's (?:shelter|association|ministry)",),
            ),
            T(
                "children",
                "Children",
                ("child", "children", "minor", "minors", "adolescent", "girls", "boys"),
                cues=(
                    r"3:child(?:ren)?",
                    r"3:minors?",
                    r"3:underage|under 18|under the age of 18",
                    r"3:adolescen\w+",
                    r"3:teenage\w*",
                    r"3:girls?|boys?",
                    r"3:orphan\w*",
                    r"3:(?:aged?|as young as) " + AGE_UNDER_18,
                    r"3:" + AGE_UNDER_18 + r"[- ]year[- ]olds?",
                    r"2:pupils|schoolchildren|juveniles?",
                    r"2:infants?|babies|toddlers?",
                    r"2:youths?|young people",
                    r"1:daughters?|sons",
                    r"1:students?",
                ),
                not_in=(
                    r"(?:their|her|his|my|your|own|with) (?:young )?children",
                    r"children of their own",
                    r"minor (?:changes?|offen[cs]es?|role|injur\w+|infractions?|"
                    r"amendments?)",
                    r"child(?:ren)?'s (?:society|rights)",
                    r"children act",
                    r"beach boys",
                ),
            ),
            T(
                "men",
                "Men",
                ("men", "boys"),
                cues=(
                    r"3:men",
                    r"3:boys?",
                    r"3:males?",
                    r"3:fisher(?:men|man)",
                    r"2:man|sons|husbands|fathers",
                    r"1:he|his",
                ),
                not_in=(
                    r"armed men",
                    r"(?:powerful|older|wealthy|chinese|european|foreign|local) men",
                    r"(?:than|and) men",
                    r"beach boys",
                ),
            ),
            T(
                "indigenous-peoples",
                "Indigenous peoples",
                ("indigenous",),
                cues=(
                    r"3:indigenous",
                    r"3:aborigin\w+|first nations|native (?:american|communities|"
                    r"peoples?|women|families)",
                    r"3:adivasis?|hill tribes?|tribals?",
                    # Peoples often named without the word "indigenous".
                    r"3:(?:ashaninka|awajun|aguaruna|shipibo|quechua|aymara|guarani|"
                    r"enxet|nivacle|ayoreo|wayuu|embera|nasa|yanomami|awa|kayapo|"
                    r"munduruku|mixtecs?|triquis?|nahuas?|tzotzil|tzeltal|mayas?|"
                    r"miskitos?|garifuna|mapuche|huitotos?|uitotos?|matsigenka|"
                    r"batwa|baka|pygm(?:y|ies)|san|maasai|ogiek|orang asli|dayaks?|"
                    r"penan|lumad|igorots?|akha|lahu|hmong|karen|santhals?|oraons?|"
                    r"mundas?|bhils?|sami|inuit|maori|torres strait islanders?)",
                    r"2:tribes?|tribal|reserves|reservations",
                    r"1:ethnic minorit(?:y|ies)",
                ),
            ),
            T(
                "migrants",
                "Migrants",
                ("migrant", "immigrant", "visa", "smuggling"),
                cues=(
                    r"3:(?:im|e)?migrants?",
                    r"3:(?:im|e)?migrat(?:ion|ed|e|es|ing)",
                    r"3:foreign (?:workers?|nationals?|labou?r\w*|domestic)",
                    r"3:overseas (?:workers?|employment|jobs?)",
                    r"3:(?:work|works|working|jobs?|employment|recruited) "
                    r"(?:\w+ ){0,2}(?:abroad|overseas)",
                    r"3:kafala",
                    r"3:guest ?workers?|technical intern\w*|h-2a",
                    r"3:undocumented|irregular(?:ly)? (?:migra\w+|status|entry)",
                    r"2:visas?",
                    r"2:smuggl\w+",
                    r"2:deport\w*",
                    r"2:(?:residence|work) permits?",
                    r"2:remittances?",
                    r"2:manning agenc\w+|recruitment agenc\w+|labou?r agents?",
                    r"2:across the border|cross(?:ed|ing)? (?:\w+ ){0,2}border",
                    r"1:abroad|overseas|repatriat\w+",
                    r"1:(?:recruitment|placement) fees",
                ),
                not_in=(r"visa cards?",),
            ),
            T(
                "refugees",
                "Refugees",
                ("refugee", "asylum"),
                cues=(
                    r"3:refugees?",
                    r"3:asylum(?: seekers?)?",
                    r"3:stateless\w*",
                    r"2:returnees",
                    r"2:rohingya|unhcr",
                ),
                not_in=(r"lunatic asylum",),
                implies=("displacement",),
            ),
            T(
                "street-children",
                "Street children",
                ("street children", "street child", "homeless children"),
                cues=(
                    r"3:street (?:children|child|kids|youths?|boys|girls|families|"
                    r"minors)",
                    r"3:(?:live|lives|living|lived|sleep|sleeps|sleeping|slept|end up|"
                    r"ended up|ends up|return) (?:\w+ ){0,2}(?:on|in) the streets?",
                    r"3:homeless (?:children|youths?|boys|girls|minors|teenagers)",
                    r"3:railway children|children of the streets?",
                    r"2:sleep\w* on (?:platforms|pavements|the pavement)",
                    r"2:runaways?|run away|running from",
                    r"1:on the streets? of",
                ),
                implies=("children",),
            ),
        ),
    ),
    GroupSpec(
        "responses",
        "Responses",
        "What governments and others do against trafficking.",
        (
            T(
                "prevention",
                "Prevention",
                ("prevention", "awareness", "campaign"),
                cues=(
                    r"3:prevent\w*",
                    r"3:awareness",
                    r"3:(?:education|information|awareness|media|public) campaigns?",
                    r"3:pre-departure",
                    r"3:(?:zero-fee|ethical|fair) recruitment",
                    r"3:codes? of conduct",
                    r"3:(?:spot|check whether) (?:\w+ ){0,2}(?:fake |a )?job offers?",
                    r"2:campaigns?",
                    r"2:train\w* (?:\w+ ){0,6}to (?:recogni[sz]e|spot|identify|report)",
                    r"2:scholarships?|stipends?|keep\w* (?:\w+ ){0,2}in school|"
                    r"stay in school",
                    r"2:due diligence|audits?|auditors?|supply chains?|transparency",
                    r"2:(?:import )?bans? on|barred imports|suspended (?:the )?"
                    r"recruitment",
                    r"1:workshops|checkpoints|early warnings?",
                ),
                not_in=(
                    r"prevent\w* (?:\w+ ){0,2}from (?:leaving|escaping|talking|"
                    r"listening|going)",
                    r"(?:military|election|electoral|presidential) campaigns?",
                    r"during the campaign",
                ),
            ),
            T(
                "prosecution",
                "Prosecution",
                (
                    "prosecution",
                    "prosecuted",
                    "convicted",
                    "conviction",
                    "sentenced",
                    "pleads guilty",
                    "charges",
                ),
                cues=(
                    r"3:prosecut\w+",
                    r"3:convict\w*",
                    r"3:sentenc\w+",
                    r"3:arrest\w*",
                    r"3:(?:jailed|imprison\w*|in prison)",
                    r"3:(?:charged with|criminal charges|(?:were|was|been) "
                    r"(?:\w+ )?charged|charges (?:were|against)|faces? charges)",
                    r"3:pleads? guilty|pleaded guilty",
                    r"3:(?:police|law enforcement) (?:raids?|operations?|raided)",
                    r"3:court heard|court (?:convicted|sentenced)",
                    r"2:courts?|trials?|judges?|tribunals?",
                    r"2:investigat\w+",
                    r"2:raids?|raided|crackdown",
                    r"2:law enforcement",
                    r"2:extradit\w+|bail|suspects?",
                    r"2:fined|penalt(?:y|ies)",
                    r"1:police|accused|offen[cs]es?|perpetrators",
                ),
                not_in=(
                    r"employment tribunal",
                    r"clinical trials?",
                    r"independent tribunal",
                    r"prisoners? of conscience",
                ),
            ),
            T(
                "protection",
                "Protection",
                ("protection", "shelter", "victim assistance", "rescued"),
                cues=(
                    r"3:shelters?",
                    r"3:safe[- ]?houses?",
                    r"3:rescu\w+",
                    r"3:reintegrat\w+",
                    r"3:counsell?(?:ing|ors?)",
                    r"3:psycho(?:social|logical) (?:care|support|help)",
                    r"3:legal aid|compensation|restitution",
                    r"3:identif\w+ (?:\w+ ){0,2}(?:victims?|survivors?)",
                    r"3:identified victims",
                    r"3:referral mechanism|refer\w* (?:\w+ ){0,2}(?:victims|them) to",
                    r"3:(?:reception|drop-in|residential|rescue|rehabilitation) "
                    r"cent(?:re|er)s?",
                    r"3:(?:treat\w*|recogni[sz]\w*|accepted) (?:\w+ ){0,3}as victims",
                    r"3:victim (?:services|support|assistance|protection)",
                    r"2:protection",
                    r"2:assist\w*",
                    r"2:repatriat\w+|freed|released|returned home|return home",
                    r"2:rehabilitat\w+|recovery|support(?:ed)? (?:to |for )?"
                    r"(?:victims|survivors)",
                    r"1:survivors?|outreach|social workers?|safety",
                ),
                not_in=(
                    r"data protection",
                    r"protection against dismissal",
                    r"(?:environmental|social|border) protection",
                    r"protective equipment",
                    r"without protection|no protection",
                ),
            ),
            T(
                "partnership",
                "Partnership",
                ("partnership", "cooperation", "jointly"),
                cues=(
                    r"3:partnerships?|in partnership|partnered",
                    r"3:joint (?:operations?|investigations?|action plans?|patrols?|"
                    r"task ?forces?|teams?|programmes?)",
                    r"3:memorand(?:um|a) of understanding|mous?",
                    r"3:multi-?(?:disciplinary|agency|stakeholder)",
                    r"3:(?:bilateral|regional|international|cross-border) "
                    r"(?:cooperation|agreements?|mechanisms?)",
                    r"3:(?:co-?operat\w+|collaborat\w+|coordinat\w+) (?:between|with|"
                    r"among)",
                    r"3:with the (?:help|support) of",
                    r"3:coordinated by",
                    r"2:co-?operat\w+|collaborat\w+",
                    r"2:coordinat\w+",
                    r"2:task ?forces?|coalitions?|forum",
                    r"2:(?:signed|sign) (?:\w+ ){0,2}(?:agreement|memorandum|"
                    r"convention|protocol)",
                    r"2:initiative with|work(?:ing)? with|bringing (?:\w+ ){0,3}together",
                    r"1:jointly|together|partners",
                    r"1:interpol|europol|asean|bali process|across borders",
                ),
                not_in=(
                    r"organi[sz]ation for economic co-?operation(?: and development)?",
                    r"economic co-?operation",
                    r"shanghai cooperation",
                    r"jointly charged",
                    r"national coordinator",
                ),
            ),
            T(
                "hotlines",
                "Hotlines",
                ("hotline", "helpline", "help-line", "childline", "toll free"),
                cues=(
                    r"3:hot ?lines?@help",
                    r"3:help ?lines?|help-lines?",
                    r"3:childline",
                    r"3:toll[- ]free",
                    r"3:(?:took|received|answered|handled|logged) (?:\w+ ){0,3}"
                    r"calls",
                    r"2:hot ?lines?",
                    r"2:(?:free|national|24-hour|emergency|anti-trafficking|phone|"
                    r"telephone) (?:[\w-]+ ){0,3}lines?",
                    r"2:(?:call|dial|number|line)\W+\d[\d -]{1,14}",
                    r"2:disque 100|116 ?000",
                    r"1:callers?|phoned",
                ),
                not_in=(
                    r"in line with",
                    r"front ?lines?",
                    r"county lines",
                    r"(?:supply|assembly|bottom|party|communication|poverty) lines?",
                ),
            ),
            T(
                "legislation",
                "Legislation",
                ("law", "legislation", "penal code", "enacted"),
                cues=(
                    r"3:legislat\w+",
                    r"3:laws?",
                    r"3:(?:penal|criminal|labou?r) codes?",
                    r"3:decrees?|ordinances?|statut\w+",
                    r"3:ratif\w+",
                    r"3:(?:de)?criminali[sz]\w+",
                    r"3:enacted|came into force|comes? into force|signed into law",
                    r"3:(?:passed|adopted|approved) (?:\w+ ){0,3}(?:bill|act|law|"
                    r"ordinance|decree|amendments?)",
                    r"3:defines? (?:\w+ ){0,2}trafficking",
                    r"2!:(?:[A-Z][\w'()-]*\s+){1,8}Act\b",
                    r"2:amend\w+|bills?",
                    r"2:conventions?",
                    r"2:(?:legal|statutory) (?:minimum|framework|definition|status|age)",
                    r"2:minimum age",
                    r"1:bann\w+|bans?|prohibit\w*|outlaw\w*",
                    r"1:regulations?|rules",
                ),
                not_in=(
                    r"law enforcement",
                    r"rule of law",
                    r"rule-of-law",
                    r"in-laws?",
                    r"law (?:firms?|school|clinic)",
                ),
            ),
        ),
    ),
    GroupSpec(
        "precursors",
        "Precursors",
        "Conditions that leave people open to trafficking.",
        (
            T(
                "poverty",
                "Poverty",
                ("poverty", "poor", "impoverished"),
                cues=(
                    r"3:poverty",
                    r"3:poor(?:est|er)? (?:\w+ ){0,2}(?:families|family|households?|"
                    r"communities|people|villages?|villagers|districts?|regions?|"
                    r"areas|parents|neighbou?rhoods?|donors|farmers|workers|women|"
                    r"children|migrants)",
                    r"3:the poor(?:est)?",
                    r"3:impoverish\w+|destitut\w+",
                    r"3:economic (?:hardship|crisis|collapse|vulnerability)",
                    r"3:less than (?:one|two|\$?\d+) dollars? a day",
                    r"2:slums?|shanty ?towns?|landless\w*",
                    r"2:(?:could not|cannot|can't) (?:afford|feed)",
                    r"2:to (?:support|feed) (?:their|her|his) famil\w+",
                    r"1:low[- ]income|unemploy\w+|microcredit|microfinance|"
                    r"moneylenders?|struggling|debts",
                ),
            ),
            T(
                "hunger",
                "Hunger",
                ("hunger", "famine", "malnutrition"),
                cues=(
                    r"3:hunger",
                    r"3:famine",
                    r"3:starv\w+",
                    r"3:(?:mal|under)nourish\w*|malnutrition",
                    r"3:food (?:aid|insecurity|insecure|rations?|shortages?|crisis|"
                    r"production)",
                    r"3:mouths to feed",
                    r"2:(?:could not|cannot|can't|unable to) feed",
                    r"2:(?:sex|marriage|money) for food|in exchange for food",
                    r"2:(?:buy|buying) (?:food|flour|rice)",
                    r"1:drought|failed harvests?|poor harvests?|could eat|underfed",
                ),
                not_in=(
                    r"hunger strikes?",
                    r"hunger for (?:learning|education|knowledge|power)",
                ),
            ),
            T(
                "conflict",
                "Conflict",
                ("conflict", "war", "terrorist", "insurgen"),
                cues=(
                    r"3:(?:armed|violent) conflicts?|post-conflict|conflict-affected",
                    r"3:(?:civil )?wars?",
                    r"3:militias?|armed groups?|insurgen\w+|guerrill\w+|rebels?",
                    r"3:boko haram|al-shabaab|isis|isil|islamic state|taliban|farc|eln|"
                    r"epl|lra|lord's resistance army|seleka|anti-balaka|shining path|"
                    r"tamil tigers|liberation tigers|fatemiyoun",
                    r"3:ethnic cleansing|genocide|invasion",
                    r"2:conflicts?",
                    r"2:fighting|fighters?|combatants?|ceasefire|peace agreement",
                    r"2:terroris[mt]s?|military campaign|land ?mines?",
                    r"1:bomb\w+|abduct\w+|army|military",
                ),
                not_in=(
                    r"conflicts? of interests?",
                    r"in conflict with the law",
                    r"war on (?:drugs|poverty|want)",
                    r"drug war",
                    r"(?:fighting|fight) (?:against )?(?:trafficking|poverty|"
                    r"corruption|crime|slavery)",
                ),
            ),
            T(
                "displacement",
                "Displacement",
                ("displaced", "displacement"),
                cues=(
                    r"3:displac\w+",
                    r"3:idps?",
                    r"3:fled (?:\w+ ){0,2}homes?|fleeing|fled",
                    r"3:(?:refugee|displacement|border|idp) camps?",
                    r"2:uprooted|evacuat\w+|resettle\w*",
                    r"2:camps",
                    r"1:returnees|cyclone|earthquake|floods?",
                ),
            ),
        ),
    ),
)


def topic_specs() -> dict[str, TopicSpec]:
    """Every topic (not group) of the vocabulary by slug."""
    return {spec.slug: spec for group in VOCABULARY for spec in group.topics}


@dataclass(frozen=True)
class SeriesSpec:
    slug: str
    name: str
    publisher: str
    # Patterns over the entry's title (and source line); a group named "year" gives
    # the edition year when present.
    patterns: tuple[str, ...]


SERIES: tuple[SeriesSpec, ...] = (
    SeriesSpec(
        "tip-report",
        "Trafficking in Persons Report",
        "U.S. Department of State",
        (
            r"(?:(?P<year>(?:19|20)\d\d)\s+)?Trafficking in Persons Report",
            r"\bTIP Report\b",
        ),
    ),
    SeriesSpec(
        "country-reports-human-rights",
        "Country Reports on Human Rights Practices",
        "U.S. Department of State",
        (r"(?:(?P<year>(?:19|20)\d\d)\s+)?Country Reports? on Human Rights Practices",),
    ),
    SeriesSpec(
        "worst-forms-child-labor",
        "Findings on the Worst Forms of Child Labor",
        "U.S. Department of Labor",
        (
            r"(?:(?P<year>(?:19|20)\d\d)\s+)?Findings on the Worst Forms of Child Labou?r",
        ),
    ),
    SeriesSpec(
        "freedom-house-country-report",
        "Freedom House country reports (Freedom in the World)",
        "Freedom House",
        (
            r"Freedom House Country Report",
            r"Freedom in the World(?:\s+(?P<year>20\d\d))?",
        ),
    ),
    SeriesSpec(
        "crc-concluding-observations",
        "Concluding Observations of the Committee on the Rights of the Child",
        "United Nations",
        (r"Concluding Observations of the Committee on the Rights of the Child",),
    ),
    SeriesSpec(
        "amnesty-annual-report",
        "Amnesty International Report",
        "Amnesty International",
        (r"Amnesty International (?:Annual )?Report(?:\s+(?P<year>20\d\d))?",),
    ),
)

_COMPILED = [
    (spec, [re.compile(p, re.IGNORECASE) for p in spec.patterns]) for spec in SERIES
]
_EDITION = re.compile(r"\b(?P<year>(?:19|20)\d\d)\s+Edition\b", re.IGNORECASE)
_ANY_YEAR = re.compile(r"\b(?P<year>(?:19|20)\d\d)\b")


def match_series(title: str, source_line: str = "") -> tuple[str, int | None] | None:
    """The series slug and edition year an entry belongs to, judged from its title and
    source line, or None. Pure: no database."""
    for spec, patterns in _COMPILED:
        for pattern in patterns:
            found = pattern.search(title)
            if not found:
                continue
            year = found.groupdict().get("year")
            if not year:
                edition = _EDITION.search(source_line) or _EDITION.search(title)
                year = edition.group("year") if edition else None
            if not year:
                in_title = _ANY_YEAR.search(title)
                year = in_title.group("year") if in_title else None
            return spec.slug, int(year) if year else None
    return None
