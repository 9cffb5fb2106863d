"""Safety checks that run before and independently of retrieval.

Patterns are about what the *question* signals (an emergency, a request for one patient's
dose); they make no claim about any drug.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

# What a person may swallow too much of.
_MEDS = r"(?:pills|tablets|capsules|meds|medications?)"
_MEDS_OR_BOTTLE = (
    r"(?:pills|tablets|capsules|caps|meds|medications?|medicines?|bottle"
    r"|pill ?(?:organi[sz]er|box|case|bottle)|medicine (?:cabinet|cupboard))"
)

# ... but not taken over time as prescribed ("took 90 capsules over three months")
_OVER_TIME = (
    r"(?!.{0,40}\b(?:as prescribed|as directed|so far|over (?:the|a|\d+|several|many|two|three|four"
    r"|five|six) (?:days?|weeks?|months?|years?)|per (?:day|week|month)|a (?:day|week|month))\b)"
)

# A young child, by word or age ("toddler", "9 month old", "3yo").
_YOUNG_CHILD = (
    r"\b(?:child|kids?|toddlers?|baby|infant|son|daughter|grandchild|grandson|grandd?aughter"
    r"|nephew|niece|\d{1,2}[- ]?(?:months?|mos?|yrs?|years?)[- ]?old|\d{1,2} ?(?:yo|y/o|yrs?|mos?))"
)

# Taking something, in any tense.
_TAKE = r"\b(?:took|take|taken|swallowed|swallow|ate|eaten)\b"

_EMERGENCY_PATTERNS = [
    # overdose, too many pills
    r"\bover[- ]?dos(?:e|ed|ing)\b(?! on (?:coffee|caffeine|chocolate|sugar|sweets|candy|cake|tv"
    r"|netflix|sun|sunshine|work)\b)",
    r"\b(?:took|taken|take|taking|swallowed|swallow|ate|eaten)\b.{0,40}"
    r"\b(?:too many|too much|whole (?:blister )?(?:bottle|pack|box|strip)|handful of)\b"
    r"(?! (?:side effects|patients))",
    r"\b(?:had|has|have)\b.{0,20}\b(?:too many|too much|a handful of)"
    r" (?:of )?(?:\w+ )?(?:pills|tablets|capsules|caps|meds|medications|doses)\b",
    # "took all 30 of her caps", "took all my other pills"; not "all her pills this morning
    # as usual"
    r"\b(?:took|taken|swallowed|ate|eaten|downed)\b.{0,40}"
    r"\ball (?:\d+ |[a-z]+ )?(?:of )?(?:my|her|his|their|the) (?:\w+ ){0,2}?"
    r"(?:pills|tablets|capsules|caps|meds|medications)\b"
    r"(?!.{0,30}\b(?:as usual|as prescribed|as normal|like (?:always|usual|normal)"
    r"|(?:like|as) (?:she|he|i|they|we) always (?:does|do|did)|as always"
    r"|every (?:day|morning|night|evening)|each (?:day|morning|night)|today as))",
    # the object itself, not "took LDN for a whole month"
    r"\b(?:took|taken|swallowed|ate|downed) (?:(?:his|her|my|their|the|a|an|all) )?(?:(?:whole"
    r"|entire) )?(?:month|week)['’]?s?(?: worth)? (?:supply|of (?:pills|tablets|capsules|caps"
    r"|meds|ldn|naltrexone|it))",
    r"\b(?:took|taken|swallowed|ate|downed) (?:(?:his|her|my|their|the|a|an) )?(?:whole|entire)"
    r" (?:month|week|prescription|script|supply)\b",
    r"\bover[- ]?does on\b|\bod['’]d\b",
    r"\b(?:drank|drunk|drink|drinks|swallowed|ingested|drinking|ate|bit into|bitten into|chewed"
    r"|swig|sip|gulp|mouthful)\b"
    r".{0,60}\b(?:bleach|antifreeze|(?:floor|toilet|oven|window|surface|household) cleaner"
    r"|cleaning (?:liquid|fluid|product|spray|solution)|liquid for clean\w*"
    r"|drain cleaner|detergent|pesticide|weed ?killer|rat poison|lye|washer fluid|windshield"
    r"|windscreen|methanol|lamp oil|paraffin|kerosene|gasoline|petrol|paint thinner"
    r"|button batter\w*|batter(?:y|ies)|(?:laundry|dishwasher|detergent) pods?|essential oils?)\b",
    r"\bmushrooms?\b.{0,60}\b(?:vomit\w*|sick|cramp\w*|diarrh\w*)\b",
    r"\bgenerator\b.{0,40}\b(?:garage|indoors|inside|basement)\b",
    r"\b(?:headaches?|dizzy|sleepy|drowsy|confused|nause\w*)\b.{0,80}\b(?:boiler|heater|furnace"
    r"|stove|fireplace)\b.{0,20}\b(?:smell\w*|leak\w*|fumes)"
    r"|\b(?:boiler|heater|furnace|stove|fireplace)\b.{0,20}\b(?:smell\w*|leak\w*|fumes)\b.{0,80}"
    r"\b(?:headaches?|dizzy|sleepy|drowsy|confused|nause\w*|vomit\w*)\b",
    r"\b(?:found|discovered)\b.{0,30}\b(?:dosette|pill ?box|pill ?organi[sz]er|blister packs?"
    r"|bottle)\b.{0,40}\bempty\b",
    r"\btook (?:my|her|his|their) (?:\w+ ){0,2}(?:tablets|pills|meds|medications|doses?)"
    r" (?:3|4|5|three|four|five|several|multiple) times\b",
    r"\b(?:smells? (?:of|like) gas|gas leak)\b.{0,80}\b(?:headaches?|dizzy|confused|sleepy|drowsy"
    r"|nause\w*|vomit\w*|faint\w*|collaps\w*)\b",
    r"\bmix(?:ed|ing) (?:the )?bleach (?:and|with) (?:the |some )?(?:ammonia|vinegar|acid"
    r"|(?:toilet |drain )?cleaner)\b"
    r"(?![^.?!]{0,30}\b(?:safe|ok|okay|dangerous)\b)",
    r"\b(?:ate|eaten|swallowed|chewed)\b.{0,30}\b(?:berries|leaves|seeds|plant)\b.{0,80}"
    r"\b(?:drool\w*|vomit\w*|pupils|seiz\w*|unresponsive|won'?t wake|breath\w*)\b",
    r"\bgarage\b.{0,40}\b(?:engine|car)\b.{0,10}\brunning\b",
    r"\b(?:car|engine)\b.{0,20}\brunning\b.{0,30}\b(?:garage|closed)\b|\bexhaust\b.{0,20}\bhose\b"
    r"|\bhose\b.{0,20}\bexhaust\b",
    # swallowed, not "had the entire supply compounded" or "take a bunch of other meds"
    r"\b(?:took|swallowed|ate|downed)\b.{0,30}\b(?:(?:entire|whole) (?:bottle|pack|box|supply)"
    r"|(?:a )?bunch of (?:\w+ )?(?:pills|tablets|capsules|meds|medications)"
    r"|(?:a )?bunch of (?:my|her|his|their) \w+(?= (?:with|and|because|cos|cuz)\b))\b",
    r"\b(?:too many|handful of|whole bottle of)\s*(?:pills|tablets|capsules)\b"
    r"(?!.{0,40}\b(?:every (?:morning|day|night|evening)|each (?:morning|day|night)|as usual"
    r"|as prescribed)\b)",
    # "accidentally took her LDN in the morning" is a timing slip, not an overdose
    r"\baccidental(?:ly)? (?:ingest|swallow)"
    r"|\baccidental(?:ly)? (?:took|taken) (?:too many|too much|all|a bunch|several|extra"
    r"|someone else['’]?s|the whole|a whole|double)",
    # "OD" for an overdose; "LDN 4.5 mg OD" (once daily) is not one
    # ("odd dreams" is not: OD in capitals only)
    r"\b(?-i:OD)(?:['’]d|['’]ed|ed|['’]ing|ing)\b"
    r"|\b(?:an|did|tried to|planning to|going to|wants? to) (?-i:OD)\b"
    r"(?! ?(?:dos\w*|daily|regimen|schedule|or\b|vs\b|versus))",
    r"\b(?:took|taken|swallowed|ingested|ate)\b.{0,15}\b(?:\d{2,}|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|forty|fifty|sixty|a dozen|dozens)\b"
    r"(?!\s*(?:mg|milligrams?|mcg|ml|%|kg|years?|days?|weeks?|months?))"
    r".{0,25}\b(?:pills|tablets|tabs|capsules|caps|doses)\b(?! (?:a|per|every|each) (?:day|week))"
    + _OVER_TIME,
    # a child who got into or swallowed pills ("ate a meal before her LDN dose" is not that)
    r"\b(?:child|children|kids?|toddlers?|baby|babies|infant|son|daughter|grandchild(?:ren)?"
    r"|grandson|grandd?aughter|grandkids?|nephew|niece|dog|cat"
    r"|(?:[1-9]|1[0-2])[- ]?(?:years?|yrs?)[- ]old|(?:[1-9]|1[0-2]) ?(?:yo|y/o|y\.o\.)"
    r"|\d{1,2}[- ]?months?[- ]old)(?!\w)"
    r".{0,60}(?<!n't )(?<!n’t )(?<!not )\b(?:swallowed|ingested|ate|eaten|eat|drank|drunk|got into"
    r"|got hold of|chewed|licked|lapped)\s+"
    r"(?:(?!before|after|with|while|during|a meal|lunch|dinner|breakfast)\S+\s+){0,6}?"
    r"(?:pills?|tablets?|tabs|capsules?|caps|meds|medications?|medicines?|bottle|ldn"
    r"|naltrexone|pill ?(?:organi[sz]er|box|case))\b",
    r"\b(?:child|kids?|toddlers?|baby|infant|son|daughter|grandchild|grandson|grandd?aughter"
    r"|grandkids?|nephew|niece)\b.{0,60}\b(?:ate|swallowed|drank|chewed) (?:some|a few|two"
    r"|several|a couple)\b(?! (?:food|breakfast|lunch|dinner|water|juice|milk))",
    _YOUNG_CHILD + r"\b.{0,60}\b(?:ate|eaten|eating|chewed|chewing|swallowed|bit)\b.{0,30}"
    r"\b(?:leaf|leaves|berr(?:y|ies)|seeds?|mushrooms?)\b.{0,30}\b(?:off|from|in)"
    r" (?:the |a |our |my |her |his )?(?:\w+ )?(?:bush|tree"
    r"|plant|garden|yard|lawn|woods|hedge|park)\b",
    _YOUNG_CHILD + r"\b.{0,60}\b(?:grabbed|took"
    r"|found|picked up|got)\b.{0,40}\b(?:capsules?|pills?|tablets?|caps|tabs|meds|bottle)\b.{0,50}"
    r"\b(?:swallowed|ate|chewed)\b",
    r"\bgot into (?!trouble|the habit|a habit)(?:\S+ ){0,2}" + _MEDS_OR_BOTTLE + r"\b",
    # on purpose
    r"\b(?:took|taken|swallowed|ate|eaten)\b.{0,40}\b(?:pills|tablets|capsules?|caps|tabs|meds"
    r"|medications|\d{2,}|lot|bottle|all|every)\b.{0,50}\b(?:on purpose|intentional(?:ly)?"
    r"|deliberately)\b|\bintentional (?:(?-i:OD)|overdose)\b",
    r"\b(?:gonna|going to|want to|wants to|plan(?:ning)? to|about to|will) (?:take|swallow|down)"
    r" (?:the lot|everything (?:in|from) the (?:cupboard|cabinet|drawer|bathroom))\b",
    # poisoning
    # ('poison' in quotes is a figure of speech)
    r"(?<!food )(?<!pure )(?<!like )(?<!['‘\"“])\bpoison(?:ed|ing)?\b(?!['’\"”])"
    r"(?! (?:ivy|oak|sumac|control|cent(?:re|er)s?|information|helpline|line)\b)",
    r"\b(?:(?-i:CO)|carbon monoxide) (?:alarm|detector)\b",
    # suicide and self-harm
    r"\bsuicid\w*",
    r"\b(?:kill|hurt|harm)(?:s|ed|ing)? (?:my|him|her|them|your)sel(?:f|ves)\b",
    r"\bself[- ]harm\w*",
    r"\b(?:want|wants|wanting|plan|planning) to die\b",
    r"\b(?:end|ending|take|taking) (?:my|his|her|their|your) (?:own )?li(?:fe|ves)\b",
    r"\b(?:does ?n[o']?t|do ?n[o']?t|doesn’t|don’t|no longer|(?:i|she|he) not) want(?:s)?(?: to)?"
    r" (?:be alive|live|go on|wake up)\b(?! with)",
    r"\b(?:better off dead|no reason to (?:live|keep going|go on|carry on|be here|stay alive)"
    r"|no point (?:in )?(?:living|going on)"
    r"|(?:not|isn'?t|isn’t) worth living"
    r"|end(?:ing)? it all)\b",
    r"\b(?:goodbye|suicide) (?:notes?|letters?)\b",
    r"\bend(?:ing)? (?:it|things|everything) (?:tonight|today|now|tomorrow|soon"
    r"|this (?:weekend|week"
    r"|evening)|on (?:\w+day|the \w+))\b|\b(?:decided|deciding|going|planning) to end (?:it|things"
    r"|everything)\b",
    r"\bif (?:i|she|he) (?:just )?(?:wasn['’]?t|weren['’]?t|was not|were not|wasnt|werent)"
    r" (?:here|around|alive) any ?more\b",
    r"\b(?:better off|happier|fine|easier|better)(?: for (?:everyone|everybody|all))?"
    r" if (?:i|she|he|they) (?:just )?(?:wasn['’]?t|weren['’]?t|was not|were not|wasnt|werent"
    r"|didn['’]?t exist"
    r"|disappeared|died|was gone|were gone|went to sleep and never)\b"
    r"|\b(?:went|go|going) to sleep and never (?:woke|wake|waking) up\b",
    r"\bvoices\b.{0,20}\b(?:telling|tell|told|say|saying) (?:me|him|her|them) to\b",
    r"\bwon['’]?t need (?:them|it|these|those|this|anything|my \w+) (?:any ?more )?where"
    r" (?:i['’]?m|i am|she['’]?s|he['’]?s|they['’]?re) going\b",
    r"\b(?:take|taking|took|swallow\w*|down|downing)\b (?:(?:every|each) (?:single )?(?:pill|tablet"
    r"|capsule|med|medication)|all the (?:pills|tablets|meds|medications)) in the (?:house|flat"
    r"|apartment|cabinet|cupboard|bathroom)\b",
    r"\b(?:want|wants|wanted|wanting) (?:(?:everything|it all) to (?:stop|end|be over)"
    r"|(?:it|this|all this|all of this) to (?:be over|end))\b",
    r"\bmake sure (?:i|she|he|they) (?:do ?n['’]?t|don’t|never|won['’]?t|will not"
    r"|would ?n['’]?t) wake up\b|\bnever (?:have to )?feel anything (?:again|any ?more)\b",
    r"\b(?:can'?t|cannot|can’t) do this (?:any ?more|much longer)\b",
    # how much would be lethal, asked beside taking it all
    r"\b(?:would|will|is) (?:that|it|this) be enough\b(?! (?:of a|to (?:help|work|treat|see|notice"
    r"|get|make|last|cover)))"
    r"|\bbefore (?:it|they|that) kills? (?:them|me|you|him|her|someone|a person)\b",
    # a count guessed after the taking ("took tablets from the box, maybe 20"), or "many many"
    _TAKE + r".{0,40}\b(?:pills?|tablets?|capsules?"
    r"|caps|tabs|meds)\b.{0,30}\b(?:maybe|about|around|like|almost|over|at least) (?:\d{2,}"
    r"|twenty|thirty|forty|fifty)\b(?!\s*(?:mg|milligrams?|mcg|ml|kg|lbs?|%|:|years?|days?"
    r"|weeks?|months?|hours?|hrs?|minutes?|mins?|[ap]\.?m\b|o['’]?clock))"
    r"|" + _TAKE + r".{0,20}\bmany many\b",
    r"\b(?:stockpil|hoard)\w*\b.{0,40}\b" + _MEDS + r"\b",
    r"\b" + _MEDS + r"\b.{0,40}\b(?:stockpil|hoard)\w*",
    r"\b(?:plan\w*|going|intend\w*|wants?|decided|about) to (?:take|swallow) "
    r"(?:them all|all of them)\b",
    r"(?:\bnever|\bnot|n['’]t) (?:ha(?:ve|s) to |wants? to |needs? to |ever )?wake up again\b"
    r"(?! (?:during|in|at|until|before|after|when|feeling)\b)",
    r"\bhang(?:s|ed|ing)? (?:my|him|her|them)sel(?:f|ves)\b",
    r"\b(?:thinking|thinks|thought|thoughts|talking|talks|talked) (?:about|of)"
    r" (?:ending it|ending (?:his|her|my|their) life|killing|dying|not being (?:here|around))\b",
    r"\b(?:can'?t|cannot|can’t|couldn'?t|couldn’t) go on(?: (?:any ?more|like this|living))?"
    r"\s*(?:[.,;!?]|$|and\b)",
    r"\bsleep and (?:not|never) wake up\b",
    r"\b(?:does ?n[o']?t|do ?n[o']?t|doesn’t|don’t|no longer) want(?:s)? to be (?:here|around)\b"
    r"(?! (?:for|at|in|on|when|during)\b)",
    r"\bgiv(?:ing|en|es|e) (?:away )?(?:all )?(?:of )?(?:his|her|my|their) (?:\w+ )?(?:things"
    r"|stuff|belongings|possessions)(?: away)?\b.{0,40}\b(?:goodbye|good-bye)"
    r"|\bsaying goodbye to everyone\b"
    r"|\bg(?:ave|iving|iven|ives?) away\b.{0,80}\b(?:goodbye|good-bye|thanks? (?:you )?for"
    r" everything|take care of|won['’]?t need|won['’]?t be (?:around|here)|farewell"
    r"|(?:fine|better off|happier) (?:soon )?without (?:him|her|me|them))\b",
    r"\bthinking (?:about|of) (?:taking|swallowing) (?:all|them all|a bunch|the whole)\b",
    r"\b(?:endors\w*|reports?|reporting|active|passive|having|has|with|c/o) (?-i:SI)\b"
    r"(?! joint)",
    r"\bbetter off without (?:me|her|him|them)\b",
    r"\b(?:nobody|no one|no-one) (?:would|will|is going to) (?:miss|care about) (?:me|her|him)\b",
    r"\b(?:don'?t|doesn'?t|do not|does not|don’t|doesn’t) see the point (?:of|in) (?:carrying on"
    r"|going on|living|being here)\b",
    r"\bwish(?:es|ed)? (?:i|she|he|they) (?:was|were) dead\b|\b(?:rather|better) be dead\b"
    r"|\bwants? to be dead\b|\bunaliv\w*",
    r"(?-i:\bSI\b).{0,20}\bplan\b",
    # severe allergic reaction
    r"\banaphyla\w*",
    r"\b(?:throat|tongue|lips?|face|mouth|airway)\b.{0,30}\b(?:swell\w*|swollen|closing|tight\w*"
    r"|puffy|puff(?:ed|ing) up)",
    r"\bhives\b.{0,40}\b(?:breath\w*|swallow\w*|wheez\w*|throat|lips?|tongue|dizzy|faint\w*)",
    r"\b(?:hives|welts)\b.{0,60}\b(?:hoarse|voice (?:has )?(?:gone|going|changed))\b"
    r"|\b(?:hoarse|voice (?:has )?(?:gone|going|changed))\b.{0,60}\b(?:hives|welts)\b",
    r"\b(?:bee|wasp|hornet)\b.{0,40}\b(?:welts|hives|hoarse|throat|breath\w*|faint\w*|dizzy)\b",
    r"\b(?:ate|eaten|eating|bit into)\b.{0,40}\b(?:peanuts?|nuts|cashews?|shellfish|prawns?|shrimp)"
    r"\b.{0,80}\b(?:hives|hoarse|swell\w*|wheez\w*|throat)\b",
    r"\b(?:use|used|using|gave|give|needed) (?:his|her|my|their|an?|the) epi[- ]?pens?\b",
    r"\bsevere allergic\b|\bstridor\b",
    r"\ballergic reaction\b.{0,40}\b(?:breath|swell|throat|hives)",
    # chest pain, breathing
    r"\bchest (?:pains?|tightness|pressure)\b(?! (?:is|a) (?:a )?(?:known |common |listed )?side)",
    r"\bchest (?:is|feels|feeling|gets|got) (?:\w+ )?(?:tight|heavy|crushing|painful)\b"
    r"|\btight chest\b|\bchest\b.{0,20}\b(?:squeez\w*|crushing)\b(?! (?:is|a) (?:a )?(?:known"
    r"|common|listed) )|\belephant (?:is )?(?:sitting |standing )?on (?:his|her|my|their) chest",
    r"\bpain (?:going |radiating |shooting |spreading )?(?:down|into|to) (?:his|her|my|their|the)"
    r" left arm\b|\bleft arm\b.{0,30}\bsweat\w*",
    r"\bbreathing\b.{0,25}\b(?:shallow|slow|laboured|labored)\b|\bshallow breath\w*",
    r"\b(?:resp(?:iratory|\.)? ?rate|(?-i:RR))\s*(?:of |is |was )?[0-8](?![.\d])"
    r"|\bpinpoint pupils\b",
    r"\b(?:trouble|difficulty|difficult|hard|can'?t|cannot|unable to|struggling to|not)"
    r" (?:breath(?:e|ing)?)\b(?! (?:through|thru|out of|from) (?:my|her|his|their|the|one) nose)",
    r"\bshort(?:ness)? of breath\b(?! (?:on|with|during|when) (?:exertion|exercise|exercising"
    r"|walking|climbing|stairs))",
    r"\bbarely breathing\b|\bgasping\b|\b(?:struggling|fighting) for (?:air|breath)\b"
    r"|\b(?:can'?t|cannot|can’t) get (?:any )?air\b",
    r"\bpain in (?:his|her|my|their|the) chest\b|\bchest (?:hurts|is hurting)\b"
    r"|\bpain in the (?:middle|centre|center|left side) of (?:his|her|my|their|the) chest\b"
    r"|\b(?:pain|pressure|tight\w*|heav\w*|crushing|squeez\w*)\b.{0,20}\b(?:behind|under)"
    r" (?:my|his|her|their|the) (?:breastbone|sternum)\b"
    r"|\bpain\b.{0,30}\b(?:going (?:up )?(?:into|to)|up (?:into|to)|spreading (?:up )?(?:into|to)"
    r"|radiating (?:up )?(?:into|to)) (?:my|her|his|their|the) jaw\b"
    r"(?! (?:when|while|after) (?:chewing|eating))",
    # the chest heavy or tight with the jaw or an arm, or with sweating
    r"\bchest\b.{0,30}\b(?:heavy|heaviness|tight|tightness|pressure|pain|aching|squeez\w*)\b.{0,60}"
    r"\b(?:sweaty|sweating|clammy|jaw|left arm)\b"
    r"|\b(?:jaw|left arm)\b.{0,20}\b(?:and|&) (?:my |her |his |their |the )?chest\b.{0,40}"
    r"\b(?:heavy|tight|pressure|pain|ach\w*|squeez\w*)\b",
    # a heart rate or pulse with fainting or blacking out
    r"\b(?:heart(?: ?rate)?|hr|pulse)\b.{0,60}\b(?:pass(?:ing|ed)? out|black(?:ing|ed)? out"
    r"|faint(?:ing|ed)?|about to collapse)\b"
    r"|\b(?:pass(?:ing|ed)? out|black(?:ing|ed)? out|faint(?:ing|ed)?)\b.{0,60}"
    r"\b(?:heart(?: ?rate)?|hr|pulse)\b(?! (?:normal|fine|ok))",
    # stroke signs; clinical shorthand of acute chest pain
    r"\bspeech\b.{0,20}\b(?:garbled|jumbled)\b|\bface (?:looks |is |went )?lopsided\b"
    r"|\b(?:suddenly|sudden|all of a sudden|just)\b.{0,30}\b(?:numb|went dead|can'?t (?:lift"
    r"|move)|cannot (?:lift|move)|can’t (?:lift|move)|cant (?:lift|move))\b",
    r"\bc/o (?:central |crushing )?(?-i:CP)\b"
    r"|\bdiaphoretic\b.{0,40}\b(?:chest|(?-i:CP)|pain|(?-i:SOB)|breath\w*|clammy|pale|gr[ae]y)\b"
    r"|\b(?:chest|(?-i:CP)|pain)\b.{0,40}\bdiaphoretic\b",
    r"(?-i:\bSOB\b)(?! (?:on|with|during|when) (?:exertion|exercise|exercising|walking|stairs))"
    r"(?! (?:a |is a |as a )?(?:known |common |possible |listed |recognised |recognized )?side)",
    r"\bcold and clammy\b|\b(?:not|isn['’]?t|is not|stopped) answering (?:me|us)\b"
    r"|\bslumped\b(?! (?:shoulders|posture))",
    r"\b(?:slurred|slurring) (?:speech|words)\b|\bspeech (?:is )?(?:getting |becoming )?slurred\b"
    r"|\b(?:not|isn'?t|isn’t|is not|can'?t|cannot|can’t) (?:talking|speaking) (?:right|properly"
    r"|normally|straight|clearly)\b"
    r"|\bface (?:is )?droop\w*|\bdrooping (?:face|mouth)\b|\bfacial droop\b",
    r"\bone side of (?:my|her|his|your|their|the) face\b.{0,30}\b(?:numb|droop\w*|weak|fallen"
    r"|dropped|slipp\w*)\b|\bwords? (?:are |is )?(?:com(?:e|es|ing) out|came out) (?:all )?(?:wrong"
    r"|jumbled|garbled|funny|slurred|muddled)\b",
    r"\b(?:can'?t|cannot|couldn'?t|can’t|couldn’t) catch (?:his|her|my|their|your) breath\b",
    r"\b(?:is|are|was|started|starting|now|been|become|became|got|gets|getting|and)"
    r" wheez(?:y|ing)\b|\bwheez(?:y|ing) (?:after|since|and|now|badly)\b",
    r"\b(?:lips?|face|skin|fingers?)\b.{0,20}\b(?:turning|turned|going|gone) (?:blue|grey|gray)\b",
    r"(?<!nearly had a )(?<!almost had a )(?<!ruled out a )(?<!not a )(?<!no )(?<!will have a )"
    r"(?<!would have a )(?<!['’]ll have a )(?<!['’]d have a )"
    r"\b(?:heart attack|cardiac arrest|having a stroke)\b"
    r"(?! (?:in (?:19|20)\d\d|\d+ (?:years?|months?) ago|years ago|last year))",
    r"\b(?:fainted|fainting)\b(?! once\b| spells?\b| episodes?\b| (?:\w+ )?(?:years?|months?) ago"
    r"| last (?:year|month)"
    r"| in (?:19|20)\d\d)",
    r"(?:\b(?:won'?t|won’t|isn'?t|isn’t|is not|are not|aren'?t|aren’t)|['’]s not|\bs not)"
    r" (?:respond(?:ing)?|waking)\b(?!(?: \w+){0,2} to\b)"
    r"(?! (?:well|after \d|within|in \d|on ldn|to ldn|for \d))",
    r"\bnot (?:responding|responsive) to (?:his|her|their|my|your) (?:name|voice)\b"
    r"|\bslid (?:off|out of|down from) (?:his|her|their|the|a) chair\b"
    r"|\b(?:dropped|slumped|keeled over|crumpled) to the (?:floor|ground)\b",
    r"\bout cold\b(?!['’\"”])|\bwon['’]?t open (?:his|her|their) eyes\b",
    r"\b(?:lips?|face|mouth)\b.{0,12}\bblue\b"
    r"|\b(?:he|she)['’]?s (?:turning |going |gone )?blue\b"
    r"|\b(?:is|are|was|were|keeps|started|starting) (?:turning|going) blue\b",
    r"\b(?:jerking|convulsing) (?:all over|uncontrollably|violently)\b",
    r"\bnot breathing\b|\bstopped breathing\b|\bno (?:pulse|heart ?beat|breathing|signs of life)\b"
    r"(?! (?:issues?|trouble|problems?|difficult\w*|changes?)\b)"
    r"|\b(?:doing|started|starting|giving|performing|began|begun) (?-i:CPR)\b"
    r"(?! (?:class|classes|course|courses|training|certification|cert)\b)"
    r"|(?-i:\bCPR\b) (?:in progress|started|ongoing|now)\b",
    r"\b(?:unconscious|unresponsive|won'?t wake up|seizing|convulsing|seized"
    r"|(?:having|had|has) (?:a )?convulsions?|passed out)\b",
    r"(?<!with )(?<!of )\bseizures?\b"
    r"(?! (?:threshold|disorder|risk|medications?|meds|history|activity|control|prevention"
    r"|prophylaxis|drugs))(?![- ]free)",
    r"\bcollapsed\b(?! (?:(?:his|her|their|my|the) )?(?:\w+ )?(?:capsules|pills|tablets|caps))",
    r"\b(?:is|'s|’s|are|was|started|keeps?) fitting(?= *(?:now|right now|again|$|[.,;!]"
    r"|and\b))|\b(?:having|had|has) (?:a |\d+ |two |three |several |multiple )?fits?\b"
    r"|\b(?:fits|seizures)\b.{0,15}\bback[- ]to[- ]back\b|^\W*fitting\b|\bfitting again\b"
    r"|\b(?:has ?n['’]?t|hasnt|not|didn['’]?t|didnt) (?:woken|woke|come round|come to)(?: up)?"
    r" (?:in )?between\b",
    # someone who cannot be woken; not grogginess ("hard to wake up in the morning")
    r"\b(?:hard|difficult|impossible|unable) to (?:wake|rouse|arouse)"
    r"(?: (?:him|her|them|up))?\s*(?:[.,;!?]|$|and\b|now\b)",
    r"\b(?:can'?t|cannot|can’t|couldn'?t|couldn’t) (?:wake|rouse) (?:him|her|them)\b"
    r"|\b(?:hard|difficult|impossible|unable) to (?:rouse|arouse)\b",
    # no longer responding, however it is put ("fell over at dinner, now not responding")
    r"\b(?:now|still|and|but|currently) not (?:respond(?:ing|ive)|rousable|arousable|waking)\b"
    r"(?!(?: \w+){0,2} to\b)(?! (?:well|after \d|within|in \d|on ldn|to ldn|for \d))",
    # slowed breathing written short ("resp slow", "resps shallow")
    r"\b(?:resps?|respirations?|breaths?)\b.{0,15}\b(?:shallow|slow(?:ed|ing)?|laboured|labored)\b",
    r"\bpupils (?:are |now )?(?:pinpoint|tiny)\b",
    r"\b(?:grabb\w*|clutch\w*|holding) (?:at )?(?:his|her|my|their) chest\b",
    r"\b(?:pressure|tightness|heaviness|squeezing|crushing pain|tight band|crushing band)"
    r"(?: band| feeling| sensation)?"
    r" (?:in|on|across|around) (?:his|her|my|their|the) chest\b",
    # a swollen airway ("tongue huge, drooling, can't talk")
    r"\btongue\b.{0,15}\b(?:huge|enormous|massive|swollen|swelling|thick|big)\b",
    r"\bdrooling\b.{0,30}\b(?:can'?t|cannot|can’t|unable to) (?:talk|speak|swallow|breathe)\b",
    # someone else's or mixed-up medicines swallowed
    r"\b(?:took|taken|swallowed|ate|eaten|drank)\b.{0,20}\b(?:someone else['’]?s|(?:her|his|my"
    r"|their) (?:husband|wife|partner|mother|father|mum|mom|dad|son|daughter|sister|brother"
    r"|friend|roommate|flatmate|grandmother|grandfather)['’]s)\b",
    r"\bmixed up (?:the |her |his |my |their )?(?:pill ?boxes|pill ?organi[sz]ers|pills|meds"
    r"|medications|tablets)\b",
    # swallowed, then acutely unwell now
    r"\b(?:took|taken|swallowed|ingested|ate|drank)\b.{0,120}\bnow\b.{0,30}\b(?:confused"
    r"|disoriented|delirious|hallucinat\w*|seeing (?:\w+ )?halos|jaundiced\w*|unresponsive"
    r"|seizing|screaming)\b(?! (?:about|by|as to|whether|if|over)\b)",
    r"\b(?:screaming|writhing|doubled over) in (?:agony|pain)\b",
    r"\bin (?:severe|full[- ]blown|precipitated)(?: precipitated)? withdrawal\b",
    # the last things done before suicide ("said her goodbyes and taken the pills")
    r"\bsa(?:id|ying|ys) (?:(?:all )?(?:her|his|my|their) )?goodbyes\b",
    r"\b(?:i['’]?m|i am|she['’]?s|he['’]?s|they['’]?re|is|am|are) (?:so |just |completely )?"
    r"done with (?:everything|life|living|it all)\b",
    r"\b(?:don'?t|doesn'?t|do not|does not|don’t|doesn’t|can'?t|cannot|can’t) see (?:the|any)"
    r" point (?:any ?more|in (?:anything|life)|of (?:anything|life))\b",
    r"\b(?:sitting|standing|here|alone) with (?:a|the|my|his|her) (?:razor|blade|knife|gun|rope"
    r"|noose)\b|\bnoose\b",
    r"\b(?:sav(?:ing|ed)|stor(?:ing|ed)|collect(?:ing|ed)) up\b.{0,30}\b(?:pills|tablets|tabs"
    r"|caps|capsules|meds|medications|ldn|naltrexone|oxy\w*|opioids|painkillers|sleeping \w+"
    r"|insulin)\b.{0,30}\bto take\b",
    r"\b(?:took|taken|swallowed) ['‘\"“]?everything (?:in|from) (?:the|my|her|his|their)"
    r" (?:medicine |bathroom )?(?:cupboard|cabinet|drawer|bathroom)",
    r"\btonight(?:['’]?s| is) the night\b"
    r"|\b(?:stop|no longer|tired of|sick of|hate) being a burden\b"
    r"|\b(?:won['’]?t|will not|wouldn['’]?t|not) be a burden (?:any ?more|to anyone|to anybody)\b"
    r"|\b(?:pills|tablets|meds|capsules|caps)\b.{0,25}\blined up\b",
    r"\b(?:taking|take|took|swallow\w*) all of (?:them|it|these|those) (?:tonight|now|at once"
    r"|today)\b",
    # saving up one's own or someone else's medicines ("saved up my husband's oxycodone")
    r"\bsav(?:ing|ed|es|e)(?: up)? (?:all )?(?:of )?(?:my|her|his|their) (?:\w+['’]s )?"
    r"(?:\w+ ){0,2}?(?:" + _MEDS + r"|oxy\w*|opioids|painkillers|sleeping \w+|ldn|naltrexone)\b",
    r"\b(?:took|taken|swallowed|downed) all\b.{0,40}\bat once\b",
    r"\b(?:took|taken|swallowed|ate|downed)\b (?:about |around |like |maybe |roughly |nearly "
    r"|almost |over |at least )?1\d of (?:my|her|his|their|the)\b" + _OVER_TIME,
    r"\bcan (?:barely|hardly) (?:talk|speak|breathe|swallow|get (?:a )?words? out)\b",
    # a fourth blind set's misses, by kind
    r"(?-i:\bOD\b).{0,20}\b\d{2,}\s*(?:caps|capsules|tabs|tablets|pills)\b"
    r"|\b(?:[2-9]\d|\d{3,})\s*(?:caps|capsules|tabs|tablets|pills)\b.{0,30}\bago\b",
    r"\b(?:jump|jumping|throw (?:herself|himself|myself|themselves)) (?:off|from|in front of)"
    r" (?:a |the |her |his |my |their )?(?:balcony|bridge|roof|building|cliff|train|window)\b",
    r"\b(?:took|taken|swallowed|ate|eaten)\b.{0,20}\bstockpile\b",
    # all of a named medicine, lately ("took all her amitriptyline this morning")
    r"\b(?:took|taken|swallowed|downed) all (?:of )?(?:my|her|his|their) (?:\w+ ){0,2}?\w+\b"
    r"(?=.{0,30}\b(?:this morning|last night|an hour ago|at once|just now|earlier today"
    r"|\d+ (?:min\w*|hours?|hrs?) ago)\b)"
    r"(?!.{0,60}\b(?:as usual|as prescribed|as normal|as directed|like (?:always|usual|normal)"
    r"|(?:like|as) (?:she|he|i|they|we) always (?:does|do|did)|as always)\b)",
    r"\b(?:is|she['’]s|he['’]s|keeps|kept) ['‘\"“]?saying goodbye\b",
    r"\brope is (?:up|ready|tied)\b",
    # and a fifth's
    r"\bcut(?:ting|s)? (?:herself|himself|myself|themselves)\b",
    r"\b(?:took|taken|swallowed)\b (?:some |a lot of |lots of |loads of )?(?:pills|tablets|meds)\b"
    r".{0,40}\bhow many\b",
    r"\bworst headache of (?:my|her|his|their) life\b",
    r"\b(?:bp|blood pressure)\s*(?:of |is |was |now )?[4-8]\d/\d{2}\b",
    r"\bstung\b.{0,60}\b(?:swell\w*|hives|urticaria|throat|dizzy|faint\w*|breath\w*)\b",
    r"\b(?:wants?|wanted|wanting) to say goodbye\b",
    r"\bafter (?:ingesting|swallowing)\b.{0,40}\b(?:capsules|pills|tablets|meds|ldn|naltrexone"
    r"|bottle|unknown)\b",
    r"\b(?:asthma attack|inhaler)\b.{0,60}\b(?:hard to talk|can['’]?t talk|not stopping"
    r"|not helping|not working)\b",
    r"\b(?:substernal|retrosternal) (?:pain|pressure|tightness)\b|\btearing (?:pain|quality)\b",
    r"\b(?:go|do it|end it|finish it) with (?:a |the |my )?(?:whole |entire )?(?:bottle|pack|box)\b"
    r"|\b(?:i['’]?m|i am) done after (?:today|tonight)\b",
    r"\bcan['’]?t stop (?:vomiting|throwing up)\b|\bvomiting non-?stop\b",
    # and a sixth's
    r"\bcut (?:my|her|his|their) (?:wrists?|arms?|throat)\b",
    r"\brope(?:['’]?s| is) (?:already |all )?(?:in|up|ready|tied)\b",
    r"\b(?:heading|going|driving|walking) to the bridge\b.{0,80}\b(?:won['’]?t (?:be )?need\w*"
    r"|goodbye|refills?|any ?more|sorry)\b",
    r"\b(?:picturing|imagining|thinking about|planning|keep thinking about) (?:steering|driving"
    r"|crashing|swerving) (?:my|the|her|his|their) car (?:into|off)\b",
    r"\bthink\w* (?:about|of) (?:going over|jumping(?! ship\b| on\b| in(?:to)? the (?:pool|water"
    r"|lake|sea)\b)|driving (?:off|into)"
    r"|stepping (?:off|in front))\b",
    r"\b(?:least painful|easiest|quickest|painless) way to (?:go|die|end it)\b",
    r"\b(?:lined up|counted out)\b.{0,60}\b(?:tonight|take (?:it|them) all)\b",
    r"\b(?:swallowed|took|taken|downed) everything in (?:my|her|his|their|the)"
    r" pill ?(?:organi[sz]er|box)\b"
    r"|\bdowned (?:a |the )?(?:full |whole |entire )?(?:strip|pack|packet|bottle|box)\b",
    r"\beyes? (?:(?:are|is) )?(?:swelling|swollen) shut\b",
    # skin blistering or coming off with fever or sores in the mouth
    r"\b(?:peeling|blistering|blisters|coming off in sheets)\b.{0,60}\b(?:all over|fever"
    r"|mouth (?:sores|ulcers)|sores in (?:my|her|his|their|the) mouth)\b"
    r"|\b(?:fever|mouth (?:sores|ulcers))\b.{0,60}\b(?:skin (?:is )?(?:peeling|blistering)"
    r"|blisters all over)\b",
    r"\bheart\b.{0,40}\b(?:irregular|racing|pounding)\b.{0,40}\bchest\b",
    r"\btexted (?:me |us )?(?:goodbye|good-bye)\b|\b(?:on|at) the bridge\b.{0,60}\b(?:goodbye"
    r"|depressed|sorry)\b|\b(?:goodbye|good-bye|depressed|sorry)\b.{0,60}\b(?:on|at) the bridge\b",
    r"\b(?:ate|swallowed|drank|had|took) an unknown (?:number|amount|quantity)\b",
    r"\b(?:drank|drunk|swallowed)\b.{0,30}\bhand sanitis?z?er\b",
    r"\bpill ?box is (?:missing|empty)\b",
    r"\b(?:written|wrote|writing) (?:\w+ )?letters\b.{0,20}\b(?:to|for)"
    r" (?:each of |all of |every one of )?(?:my|her|his|their) (?:kids|children|family|wife"
    r"|husband|partner|parents|mum|mom|dad)\b",
    r"\b(?:feel|feels|feeling) like (?:i['’]?m|i am|she['’]?s|he['’]?s|they['’]?re) dying\b"
    r"|\bthink (?:i['’]?m|she['’]?s|he['’]?s) dying\b",
    r"\b(?:dog|cat|puppy|kitten|pet|lab|labrador|terrier|beagle|spaniel)\b.{0,40}\b(?:ate|chewed"
    r"|swallowed|licked|drank)\b.{0,60}\b(?:vomit\w*|throwing up|drooling|seizing)\b",
    r"\binhaler\b.{0,20}\b(?:not|isn'?t|is not|isn’t) (?:helping|working)\b"
    r"|\bnot responding to (?:my|her|his|their|the) (?:inhaler|neb\w*|epi-?pen)\b",
    r"\bchewed (?:through|open)\b.{0,30}\b(?:bottle|pack|blister|pills|tablets|capsules|caps"
    r"|meds)\b",
    r"\b(?:make sure|so that|so) (?:i|she|he|they) (?:don'?t|doesn'?t|do not|does not|won'?t"
    r"|never) wake up(?: again| tomorrow| ever)?\s*(?:[.,;!?]|$)",
    r"\b(?:child|kid|toddler|baby|infant|son|daughter|grandchild|grandson|grandd?aughter)\b"
    r".{0,80}\bbottle (?:is|was) (?:now )?empty\b",
    # a second blind set (2026-11-27) missed these kinds
    # oxygen saturation under 90 %, or too breathless to speak
    r"\b(?:sats?|spo2|o2 sat\w*|oxygen (?:sat\w*|levels?))\D{0,6}\b[1-8]\d ?%"
    r"|\b(?:speaking|manage|managing|get out|getting out) (?:only )?(?:1-2|one or two|one|two"
    r"|single|a few) words\b|\bbetween breaths\b"
    r"|\baccessory muscles\b",
    # chest pain scored, or shorthand chest pain beside sweating
    r"\b(?-i:CP|cp) ?\d{1,2}/10\b|\b(?:cp|sob)\b.{0,40}\bdiaphoretic\b",
    r"\b(?:got|have|has|bought|tied|made) (?:the|a|my) (?:rope|noose)\b",
    r"\b(?:make sure|so that|so) (?:i|she|he|they) just (?:don'?t|doesn'?t|do not|does not|won'?t"
    r"|never) wake up\b",
    # a count of tablets swallowed, whatever they are called ("took about 40 of her
    # amitriptyline", "took about 30 extra strength tylenol", "all 90 of my LDN")
    r"\b(?:took|taken|taking|swallowed|ate|downed)\b (?:about |around |like |maybe |roughly "
    r"|nearly |almost |over |at least |approx\.? |approximately |~ ?)?(?:[2-9]\d|\d{3,})"
    r"(?: of (?:her|his|my|their|the)| ?x)? "
    r"(?!(?:mg|mcg|ml|milligrams?|micrograms?|g|grams?|kg|lbs?|%|years?|yrs?|days?|weeks?|wks?"
    r"|months?|mos?|hours?|hrs?|minutes?|mins?|seconds?|secs?|times|patients|people|percent"
    r"|drops)\b)" + _OVER_TIME,
    r"\ball (?:[2-9]\d|\d{3,}) of (?:my|her|his|their)\b",
    r"\b(?:took|taken|swallowed|downed)\b (?:all )?(?:1\d|[2-9]\d|\d{3,}) of them\b" + _OVER_TIME,
    r"\b(?:taking|take|took|swallow(?:ing|ed)?) (?:them|it|these|those) all (?:tonight|now"
    r"|at once|today)\b",
    r"\bgot into (?:a |the |my |her |his )?(?:ziplock|zip-lock|bag|baggie|purse|handbag"
    r"|container|stash|drawer|cabinet|cupboard)\b.{0,40}\b(?:ldn|naltrexone|pills|tablets|tabs"
    r"|meds|capsules|caps|medications?)\b",
    # a chemical in the eye
    r"\b(?:bleach|drain cleaner|oven cleaner|acid|lye|ammonia|chemicals?|cleaner)\b.{0,20}"
    r"\bin (?:my|her|his|their|the|your) eyes?\b",
    # stroke signs, in other words
    r"\b(?:numb and weak|weak and numb)\b|\bout of nowhere\b.{0,40}\b(?:numb|weak"
    r"|can'?t (?:lift|move|talk|speak))\b|\b(?:hasn'?t been able to|can'?t|cannot|unable to"
    r"|couldn'?t) (?:talk|speak) (?:properly|right|clearly|normally)\b"
    r"|\bhand (?:won'?t|can'?t|cannot) grip\b",
    r"\beyes (?:rolled|rolling|went) (?:back|up)\b",
    r"\b(?:arm|leg|hand|face)\b.{0,10}\b(?:went|gone|has gone|suddenly gone)"
    r" (?:heavy|weak|numb|dead|floppy)\b",
    # very low blood sugar
    r"\b(?:fingerstick|glucose|sugars?|bg|bgl|bsl|cbg|meter)\b.{0,40}\b(?:confused|drenched"
    r"|talking nonsense|unresponsive|won'?t wake)\b|\b(?:confused|drenched"
    r"|talking nonsense)\b.{0,40}\b(?:fingerstick|glucose|sugars?|meter)\b"
    r"|\bmeter (?:just )?(?:says|reads|shows) ['‘\"“]?lo\b",
    # severe bleeding
    r"\b(?:blood|bleeding)\b.{0,30}\b(?:spurting|spraying|pouring|gushing|won'?t stop"
    r"|not stopping|soaked)\b|\bbleeding (?:bad|badly|heavily|profusely)\b"
    r"|\b(?:spurting|spraying|pouring|gushing)\b.{0,20}\bblood\b"
    r"|\b(?:vomit\w*|throwing up|coughing up)\b.{0,40}\bblood\b",
]
_EMERGENCY = re.compile("|".join(f"(?:{p})" for p in _EMERGENCY_PATTERNS), re.I)

# A dose for one particular person, as opposed to what the sources report about dosing.
_PATIENT_DOSE = re.compile(
    r"(?:\b(?:my|this|our|a|the)"
    r" (?:patient|client|son|daughter|child|wife|husband|mother|father|mom|dad)\b"
    r"|\b(?:he|she|they) (?:is|are|weighs?|has)\b|\b(?:i|we) (?:weigh|am \d|have)\b"
    r"|\b\d+\s?(?:kg|lbs?|pounds|years? old|yo)\b|\bfor me\b"
    r"|\bshould i (?:take|give|prescribe|start|use)\b"
    r"|\bprescri(?:be|ption) for\b|\bwrite (?:a |me a )?prescription\b)",
    re.I,
)
_DOSE_WORDS = re.compile(
    r"\b(?:dose|doses|dosing|dosage|mg|milligrams?|how much|titrat\w*|prescri\w*)\b", re.I
)

_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufffd]"
)


# Instructions aimed at the assistant rather than questions about the corpus.
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}"
    r"\b(?:instructions?|rules?|prompts?|above|previous|everything|guidelines?)\b"
    r"|\b(?:drop|remove|omit|skip|hide|delete|leave out|without)\b.{0,30}\bdisclaimers?\b"
    r"|\bdisclaimers?\b.{0,30}\b(?:drop|remove|omit|skip|hide|delete|leave out)\b"
    r"|\byou are now\b|\bsystem prompt\b|\bact as\b|\bpretend (?:to be|you)\b"
    r"|\bdeveloper mode\b|\bjailbreak\b",
    re.I,
)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z][^<>]{0,300}>|<!--.*?-->")


def strip_instructions(question: str) -> tuple[str, bool]:
    """The question without markup (`<img ...>` is not part of what is asked), without
    sentences that instruct the assistant and without repeated sentences; and whether any
    instruction was cut."""
    question = " ".join(_MARKUP.sub(" ", question).split())
    parts = _SENTENCE_END.split(question)
    kept = [p for p in parts if not _INSTRUCTION.search(p)]
    instructed = len(kept) != len(parts)
    # A sentence pasted many times over says no more than once; repeats would drown the rest.
    kept = list(dict.fromkeys(kept))
    return " ".join(kept).strip(), instructed


@dataclass(frozen=True)
class CleanQuestion:
    text: str
    notices: list[str] = field(default_factory=list)
    truncated: bool = False


def clean_question(raw: object, max_chars: int) -> CleanQuestion:
    """Text of a question with control characters and binary junk removed, whitespace
    folded and, beyond `max_chars`, truncated (the caller states the truncation)."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    text = "" if raw is None else str(raw)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text)
    text = " ".join(text.split())
    truncated = len(text) > max_chars
    if truncated:
        head = text[:max_chars]
        # At a word boundary: a half word ("ques") would read as a term of its own.
        if text[max_chars] != " " and " " in head:
            head = head.rsplit(" ", 1)[0]
        text = head.rstrip()
    return CleanQuestion(text, truncated=truncated)


# A past event told as history ("a history of anaphylaxis to penicillin", "prior seizures")
# is a detail of the patient, not something happening now.
_PAST_EVENT = re.compile(
    r"\b(?:history(?: of)?|hx(?: of)?|h/o|prior|previous"
    r"|(?:a |an )?past(?! (?:\w+ )?(?:hours?|hrs?|minutes?|mins?|days?|night|week))"
    r"|never (?:had|experienced)"
    r"(?: a| an| any)?|prone to|at (?:high |higher |increased )?risk"
    r" (?:of|for)|susceptible to|predisposed to"
    # a group in general, not someone now ("patients with chest pain", "people prone to
    # anaphylaxis"); not "my patient with chest pain"
    r"|(?<!my )(?<!our )(?<!this )(?:patients|people|individuals|those|anyone|adults|children)"
    r" (?:who (?:have|get|had)|with)|in (?:someone|somebody|a patient|a person) with)"
    r" (?:\w+ ){0,2}?(?:anaphylaxis"
    r"|anaphylactic \w+|seizures?|heart attacks?|strokes?|overdoses?|suicide attempts?"
    r"|chest pain|allergic reactions?|(?:passive |active )?(?-i:SI)"
    r"|suicidal (?:ideation|thoughts)|stridor|(?-i:OD)s?)\b"
    r"(?: (?:by|with|via|from) (?:\w+ ){0,2}?(?:overdoses?|(?-i:OD)|hanging|cutting|pills"
    r"|tablets))?",
    re.I,
)


# ... and so is a clause dated long ago or told as long-standing ("OD'd on heroin in 2018",
# "had chest pain last month, workup negative", "short of breath for years due to COPD"), and
# what is denied ("no thoughts of hurting herself").
# Dated in the past ("in 2018", "3 years ago", "as a child") ...
_DATED = re.compile(
    r"(?<![\d.])\b(?:19|20)\d\d\b(?!\s*(?:mg|mcg|ml|milligrams?|units?|iu|tablets|pills)\b)"
    r"|\b(?:\d+|a few|several|many|two|three|four|five|six|ten) (?:years?|yrs?|months?|mos?"
    r"|weeks?|wks?) ago\b"
    r"|\b(?:years|months|weeks|decades) ago\b"
    r"|\blast (?:year|month|week|summer|winter|spring|autumn|fall)\b"
    r"|\bas an? (?:child|kid|teen(?:ager)?|baby|infant|toddler)\b"
    r"|\bat (?:the )?age (?:of )?\d{1,2}\b"
    r"|\blast (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|\bin the past\b(?! (?:\d+ |few |couple of |several )?(?:hours?|hrs?|minutes?|mins?|day|days"
    r"|night|24|48|week))|\bdied (?:of|from|by)\b|\bin (?:my|her|his|their) (?:teens|twenties"
    r"|thirties)\b|\b(?:passed out|fainted|collapsed) once\b",
    re.I,
)
# ... or long-standing, or over ("for years", "nothing new", "back to baseline").
_OVER = re.compile(
    r"\bfor (?:many |several |\d+ )?years\b|\bnothing new\b|\bwell[- ]controlled\b"
    r"|(?<!not )(?<!isn't )(?<!isn’t )\bat (?:her |his |their |my )?baseline\b|\bunchanged\b"
    r"|\bback to (?:baseline|normal|(?:her|his|their) usual(?: self)?)\b",
    re.I,
)
_CLAUSE = re.compile(r"[^.;,!?()]+")
# A clause that also tells of something now is kept; and one that tells of an intent is kept
# however long-standing ("has been stockpiling her pills for years").
_STILL_NOW = re.compile(
    r"\b(?:now|right now|currently|today|tonight|this (?:morning|afternoon|evening)"
    r"|\d+ (?:min\w*|hours?|hrs?) ago|an hour ago)\b",
    re.I,
)
_INTENT = re.compile(
    r"\b(?:suicid\w*|kill|die|end it|stockpil\w*|hoard\w*|saving up|plan\w*)\b", re.I
)
# A list of what is denied, in a note's shorthand ("denies CP, SOB, SI/HI"): each item a few
# words that end where the list goes on or the sentence ends; "but", "now" end the list.
_DENIAL_ITEM = (
    r"(?!(?:but|though|although|however|except|yet|now|still|then)\b)[a-z/'’-]+"
    r"(?: (?!(?:but|though|although|however|except|yet|now|still|then)\b)[a-z/'’-]+){0,3}"
    r"(?=\s*(?:[,/.;!?]|\band\b|\bor\b|\bnor\b|$))"
)
# "no X, no Y, no Z" as a note lists what was not found; not what is missing in an
# emergency ("no pulse, no breathing")
_NO_ITEM = (
    r"no (?!(?:pulse|breathing(?! (?:issues?|trouble|problems?|difficult\w*|changes?))|respon\w*"
    r"|heart ?beat|air|signs? of life|movement)\b)" + _DENIAL_ITEM
)
_DENIED_LIST = re.compile(
    r"\b" + _NO_ITEM + r"(?:\s*,\s*(?:and |or |nor )?" + _NO_ITEM + r")+"
    r"|\b(?:denies|denied|denying|negative for|neg for|no (?:c/o|complaints? of))\s+(?:any )?"
    + _DENIAL_ITEM
    + r"(?:\s*(?:,|/|\band\b|\bor\b|\bnor\b)\s*"
    + _DENIAL_ITEM
    + r")*"
    # a screen that came back negative ("suicide risk screen was negative")
    r"|\b(?:(?:suicide|suicidal|(?-i:SI)|self[- ]harm)(?: risk)? )?(?:screen\w*|assessment)"
    r"(?: (?:was|is|came back|returned))? (?:negative|neg)\b"
    r"|\bnegative (?:(?:suicide|suicidal|(?-i:SI)|self[- ]harm|risk) ){1,2}screen\w*",
    re.I,
)
_DENIED = re.compile(
    r"\b(?:no|denies|denied|denying|without|never had|not having|not|isn'?t|is not)"
    r" (?:any |current |active )?(?:(?:thoughts?|thinking) (?:of|about) (?:hurting|harming|killing"
    r"|ending|self[- ]harm\w*|suicide)|chest (?:pain|tightness|pressure)|(?-i:CP|SOB)"
    r"|shortness of breath|stridor|wheez\w*|syncope|(?-i:LOC)|loss of consciousness|hives"
    r"|suicidal(?: thoughts| ideation| intent)?|(?-i:SI)|self[- ]harm\w*)"
    r"(?: (?:my|her|him|them|your)sel(?:f|ves)| (?:her|his|their|my) life)?",
    re.I,
)


def without_denials(text: str) -> str:
    """`text` without what it denies ("denies CP, SOB, SI/HI", "no chest pain, no SOB", "no
    thoughts of harming herself"): what a patient does not have is not what is asked about."""
    return re.sub(r"\s{2,}", " ", _strip_denials(text)).strip()


def _strip_denials(text: str) -> str:
    return _DENIED.sub(" ", _DENIED_LIST.sub(" ", text))


def _not_long_ago(text: str) -> str:
    def over(clause: str) -> bool:
        if _STILL_NOW.search(clause):
            return False
        return bool(_DATED.search(clause)) or (
            bool(_OVER.search(clause)) and not _INTENT.search(clause)
        )

    return _CLAUSE.sub(lambda m: " " if over(m.group(0)) else m.group(0), _strip_denials(text))


# ... and so is a symptom asked about as an effect of LDN ("Can LDN cause chest tightness?"),
# or as what may happen to someone ("Will she get insomnia?", "Could he develop a rash?"):
# not "Could she have taken too many?", which tells what may already have happened.
_SOMEONE = r"(?:you|people|patients|someone|she|he|they|her|him|them|i|me|we|us)"
# What a side effect is said of: a few words with no verb of their own, not "this" or "it".
_SUBJECT = (
    r"(?:(?!\b(?:is|are|was|were|has|have|had|this|that|it|now|just)\b)[^.?!;,:–—-]){1,40}?"
)
_ASKS_IF_CAUSES = re.compile(
    r"\b(?:(?:can|does|do|could|will|would|might|may) (?:ldn|naltrexone|low[- ]dose naltrexone"
    r"|it|this|the drug) (?:ever |also |sometimes )?(?:cause|give " + _SOMEONE + r"|make"
    r"|trigger|lead to|raise the risk of|increase the risk of)"
    r"|(?:is|are) (?:(?!\b(?:is|are|was|were)\b)[^.?!;,]){1,40}? (?:(?:ever )?(?:listed|reported"
    r"|known|documented|recogni[sz]ed) as (?:a |an )?|(?:a |an )?(?:very )?(?:known|common"
    r"|recogni[sz]ed|listed"
    r"|reported|possible|documented|rare|serious|severe)"
    r" )(?:(?:\w+ )?side[- ]effects?|adverse (?:effects?|events?|reactions?))"
    # "throat swelling is a rare side effect", "... is listed for some meds": what comes before,
    # but not "her tongue is huge, is this a rare side effect" (another verb, or "this")
    r"|" + _SUBJECT + r" (?:is|are) (?:ever |also )?(?:listed|documented) (?:for|with)"
    r" (?:some |other |many )?(?:\w+ )?(?:meds|drugs|medications|medicines|opioids)\b"
    r"|" + _SUBJECT + r" (?:is|are) (?:a |an )?(?:very )?(?:known|common|recogni[sz]ed|listed"
    r"|reported|possible|documented|rare|serious|severe) (?:\w+ )?side[- ]effects?"
    r"|if (?:she|he|they|you|i|we|patients|(?:my|the|a|our|your) (?:patient|child|son|daughter"
    r"|husband|wife|partner|mum|mom|dad|mother|father)) ever (?:gets?|develops?"
    r"|(?:has|have)(?! (?:already |just )?(?:been|had|taken|swallowed|eaten|drunk|overdosed|\w+ed"
    r"|\w+en)\b)|experiences?|feels?|notices?|needs?|needed)\b"
    r"|(?:ldn|naltrexone|low[- ]dose naltrexone|it) (?:can|could|might|may|will|would) (?:ever )?"
    r"(?:make|cause|give|trigger|lead to)"
    r"|(?:has|have) (?:anyone|anybody|any ?one else|anybody else|people|patients|others"
    r"|other patients) (?:ever )?(?:reported|had|got|gotten|experienced|noticed|developed"
    r"|mentioned)"
    r"|(?:anyone|anybody) else (?:ever )?(?:get|gets|getting|had|have|has|experienc\w*|notic\w*)"
    r"|(?:any|are there) (?:published |case )?(?:reports?|cases?|data|studies|evidence)"
    r" (?:of|on|about)"
    r"|(?:will|would|might|may|could|can|is|are) (?:she|he|they|i|you|we|(?:my|the|our) "
    r"(?:patient|child|son|daughter|husband|wife)|patients|people|someone)"
    r" (?:ever |also |still |(?:be )?going to )?(?:get|feel|develop|become|experience|notice"
    r"|sleep|wake|suffer|have(?! (?:been|had|taken|swallowed|eaten|drunk|overdosed|\w+ed)\b)))"
    r"\b[^.?!;,:–—-]*",
    re.I,
)
# Something happening now: then nothing is set aside as a question about effects.
_NOW = re.compile(
    r"\b(?:right now|(?<!every )now(?! and (?:then|again))|currently|at the moment|is having"
    r"|are having|is seizing|can barely|\d+ ?(?:min\w*|hours?|hrs?) ago|an hour ago"
    r"|can'?t breathe|cannot breathe|can’t breathe|tonight"
    r"|just(?! (?:want|wanted|wanting|wondering|curious|asking|planning|checking|in case|for|to"
    r"|a|an|the|like|because|so)\b))\b|['’]s having\b",
    re.I,
)


# Writing material for others ("a parent education sheet", "our clinic's FAQ") asks about
# such events in general, unless something is also happening now.
_MATERIALS = re.compile(
    r"\b(?:writing|drafting|preparing|making|creating|putting together|updating|include it in"
    r"|write|draft|prepare|make|create|put together|update|outline)"
    r" (?:a |an |our |the |my |some )?(?:\w+[- ]){0,3}(?:faq|sheet|handout|leaflet|materials?|guide"
    r"|review|article|training|slides|talk|lecture|protocol|presentation|poster|quiz|workflow"
    r"|pathway|policy|checklist|template|labels?|script)\b|\bfor (?:a |an |our |the |my )?"
    r"(?:\w+ ){0,2}(?:handout|leaflet|faq|training|review article|counsel(?:l)?ing materials"
    r"|education (?:sheet|materials?)|lecture|teaching)\b|\blooking for (?:the )?wording\b"
    r"|\bslide deck\b|\bred[- ]flag list\b|\b(?:literature|lit) review\b"
    r"|\b(?:teaching|training) (?:session|sessions|module|slides|day|materials?)\b|\bin-?service\b"
    r"|\b(?:teaching|exam|board|quiz|study) (?:q|question|questions|points?|case)\b"
    r"|\bjournal club\b|\b(?:m&m|morbidity and mortality)\b"
    r"|\bteach (?:my |our |the )?(?:patients|staff|families|carers|caregivers|parents|nurses"
    r"|students|residents)\b"
    r"|\b(?:running|run|design\w*) a (?:sim|simulation)\b|\btrain(?:ing)? (?:our |the )?staff\b"
    r"|\bwhere (?:can|could|do|should) (?:i|we) (?:read|find|learn) (?:more )?about\b"
    r"|\b(?:our|the|a|an|my) (?:\w+['’]?s? ){0,3}(?:leaflet|handout|poster|faq|newsletter)\b",
    re.I,
)


def _not_now(question: str) -> str:
    """`question` without past events told as history and, unless something is happening
    now, without symptoms asked about as effects (and nothing of it, when it asks for
    material for others)."""
    if _MATERIALS.search(question) and not (_STILL_NOW.search(question) or _NOW.search(question)):
        return ""
    text = _not_long_ago(_PAST_EVENT.sub(" ", question))
    return text if _NOW.search(text) else _ASKS_IF_CAUSES.sub(" ", text)


def is_emergency(question: str) -> bool:
    """The question matches one of the emergency patterns (past events told as history and
    symptoms asked about as effects of LDN aside)."""
    return bool(_EMERGENCY.search(_not_now(question)))


_PARTS = re.compile(r"(?<=[.!?;,])\s+|\s+[-–—]\s+")
MAX_PARTS = 8


def question_parts(question: str) -> list[str]:
    """The sentences and clauses of `question` (at most `MAX_PARTS`), past events and
    symptoms asked about as effects left out (`_not_now`)."""
    parts = (p.strip() for p in _PARTS.split(_not_now(question)))
    return [p for p in parts if re.search(r"\w", p)][:MAX_PARTS]


# Messages labelled emergency or not, written for this project (probes and blind sets of
# clinicians' and patients' wordings; none of the evaluation questions). Curators may add
# lines; the classifier is trained anew when the file changes.
EXAMPLES_PATH = Path(__file__).with_name("safety_examples.jsonl")
CLASSIFIER_C = 1.0  # inverse regularisation of the logistic regression


def load_examples(path: Path = EXAMPLES_PATH) -> list[tuple[str, bool]]:
    rows = (json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip())
    return [(str(r["text"]), bool(r["emergency"])) for r in rows]


def train_classifier(
    encode: Callable[[list[str]], np.ndarray[Any, Any]], examples: list[tuple[str, bool]]
) -> np.ndarray[Any, Any]:
    """Weights (bias last) of a logistic regression on the sentence embeddings of the
    examples. The clauses of the ordinary messages are ordinary too, so that a clause alone
    ("what dose for children?") is not taken for an emergency."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    texts = [t for t, _ in examples]
    labels = [int(e) for _, e in examples]
    for text, emergency in examples:
        if not emergency:
            clauses = [c for c in question_parts(text) if c != text]
            texts += clauses
            labels += [0] * len(clauses)
    model = LogisticRegression(C=CLASSIFIER_C, class_weight="balanced", max_iter=5000)
    model.fit(encode(texts), labels)
    return np.append(model.coef_[0], model.intercept_[0])


class EmergencyDetector:
    """`is_emergency`, and beyond the patterns a classifier on the sentence embeddings: a
    part of the question, or the question as asked, that it gives an emergency probability of
    at least `threshold` ("the puppy ate my tablets", "tongue huge, can't talk")."""

    def __init__(
        self,
        encode: Callable[[list[str]], np.ndarray[Any, Any]],
        weights: np.ndarray[Any, Any],
        threshold: float,
    ):
        self.encode = encode
        self.weights = weights
        self.threshold = threshold

    def probability(self, *questions: str) -> float:
        """The highest emergency probability of a part of a question or of a whole one (the
        forms of one question, as typed and as read, are encoded in one batch)."""
        import numpy as np

        texts: list[str] = []
        for question in questions:
            parts = question_parts(question)
            if parts:
                texts += [*parts, question]
        if not texts:
            return 0.0
        vectors = self.encode(list(dict.fromkeys(texts)))
        logits = vectors @ self.weights[:-1] + self.weights[-1]
        return float(1 / (1 + np.exp(-logits.max())))

    def by_meaning(self, *questions: str) -> bool:
        """The part beyond the patterns."""
        return self.probability(*questions) >= self.threshold

    def __call__(self, question: str) -> bool:
        return is_emergency(question) or self.by_meaning(question)


def asks_patient_dose(question: str) -> bool:
    return bool(_DOSE_WORDS.search(question) and _PATIENT_DOSE.search(question))
