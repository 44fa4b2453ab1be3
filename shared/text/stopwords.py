"""One stop-word set per language.

The lists are the Snowball project's function-word lists (BSD licence) for English, Spanish, French,
German and Russian, each extended with the words our older per-module lists had (so no word that was
ignored before is counted now), and short function-word lists for Hindi and Chinese.

Why not a package: `stopwordsiso` and `stop-words` both ship English lists of about 1,300 words that include
"system", "computer", "information", "research", "value", "index" and "problem": words a lecture is about.
Dropping them from keyword search would lose the very words students ask for.
"""

from __future__ import annotations

from functools import cache

_EN = """
    a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can cannot could couldn't did didn't do does doesn't doing don't down during
    each either else etc few for from further had hadn't has hasn't have haven't having he he'd he'll he's
    her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's
    its itself just less let let's like may me might more most much must mustn't my myself no nor not now
    of off on once one only or other ought our ours ourselves out over own per same shall shan't she she'd
    she'll she's should shouldn't so some such than that that's the their theirs them themselves then there
    there's these they they'd they'll they're they've this those through thus to too under until up upon us
    use used using very via was wasn't we we'd we'll we're we've well were weren't what what's when when's
    where where's whether which while who who's whom whose why why's will with within without won't would
    wouldn't yet you you'd you'll you're you've your yours yourself yourselves called known
"""

_ES = """
    de la que el en y a los del se las por un para con no una su al lo como más mas pero sus le ya o u
    este sí porque esta entre cuando muy sin sobre también me hasta hay donde quien desde todo nos durante
    todos uno les ni contra otros ese eso ante ellos e esto mí antes algunos qué unos yo otro otras otra él
    tanto esa estos mucho quienes nada muchos cual poco ella estar estas algunas algo nosotros mi mis tú te
    ti tu tus ellas nosotras vosotros vosotras os mío mía míos mías tuyo tuya tuyos tuyas suyo suya suyos
    suyas nuestro nuestra nuestros nuestras vuestro vuestra vuestros vuestras esos esas estoy estás está
    estamos estáis están esté estés estemos estéis estén estaré estarás estará estaremos estaréis estarán
    estaba estabas estábamos estabais estaban estuve estuviste estuvo estuvimos estuvisteis estuvieron
    he has ha hemos habéis han haya hayas hayamos hayáis hayan habrá habría había habían hube hubo
    soy eres es somos sois son sea seas seamos seáis sean seré será seremos serán sería serían era eras
    éramos erais eran fui fuiste fue fuimos fuisteis fueron fuera fueran siendo sido tengo tienes tiene
    tenemos tenéis tienen tenga tendrá tendría tenía tenían tuve tuvo tuvieron teniendo tenido
    unas ser aquel aquella aquellos aquellas cada así aquí allí
"""

# Today's lists also ignored these French and German words in any text.
_FR_DE_COMMON = "le la les des du et ou est sont une pour dans par sur avec der die das und ist sind ein eine"

_FR = """
    au aux avec ce ces dans de des du elle en et eux il ils je la le les leur lui ma mais me même mes moi
    mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos
    votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes suis es est sommes êtes
    sont serai seras sera serons serez seront serais serait serions seriez seraient étais était étions
    étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez soient fusse fusses fût fussions
    fussiez fussent ayant ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura
    aurons aurez auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eûmes
    eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez eussent ceci cela celà
    cet cette ici ils les leurs quel quels quelle quelles sans soi
"""

_DE = """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer anderes anderm
    andern anderr anders auch auf aus bei bin bis bist da damit dann der den des dem die das dass daß
    derselbe derselben denselben desselben demselben dieselbe dieselben dasselbe dazu dein deine deinem
    deinen deiner deines denn derer dessen dich dir du dies diese diesem diesen dieser dieses doch dort
    durch ein eine einem einen einer eines einig einige einigem einigen einiger einiges einmal er ihn ihm
    es etwas euer eure eurem euren eurer eures für gegen gewesen hab habe haben hat hatte hatten hier hin
    hinter ich mich mir ihr ihre ihrem ihren ihrer ihres euch im in indem ins ist jede jedem jeden jeder
    jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen keiner keines können könnte
    machen manche manchem manchen mancher manches mein meine meinem meinen meiner meines mit muss musste
    nach nicht nichts noch nun nur ob oder ohne sehr sein seine seinem seinen seiner seines selbst sich sie
    ihnen sind so solche solchem solchen solcher solches soll sollte sondern sonst über um und uns unsere
    unserem unseren unser unseres unter viel vom von vor während waren warst was weg weil weiter welche
    welchem welchen welcher welches wenn werde werden wie wieder wir wird wirst wo wollen wollte würde
    würden zu zum zur zwar zwischen
"""

_RU = """
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот
    от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до вас нибудь
    опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы тебя их чем была сам
    чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь
    этом один почти мой тем чтобы нее сейчас были куда зачем всех никогда можно при наконец два об другой
    хоть после над больше тот через эти нас про всего них какая много разве три эту моя впрочем хорошо
    свою этой перед иногда лучше чуть том нельзя такой им более всегда конечно всю между это также
"""

_HI = """
    के का एक में की है यह और से हैं को पर इस होता कि जो कर मे गया करने किया लिये अपने ने बनी नहीं तो ही या
    एवं दिया हो इसका था द्वारा हुआ तक साथ करना वाले बाद लिए आप कुछ सकते किसी ये इसके सबसे इसमें थे दो होने
    वह वे करते बहुत कहा कई करें होती अपनी उनके थी यदि हुई जा ना इसे कहते जब होते कोई हुए व न अभी जैसे
    सभी करता उनकी तरह उस आदि रहा इसकी सकता रहे उनका इसी अपना उसके भी
"""

# Chinese has no spaces: the tokenizer makes characters and character pairs, which these single function
# characters are not filtered from (a pair like "的原" still carries meaning). Kept for callers that segment.
_ZH = "的 了 和 是 在 也 与 及 或 而 之 于 其 这 那 就 都 被 把 对 从 向 以 为 由 等"

STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(_EN.split()),
    "es": frozenset(_ES.split()),
    "fr": frozenset(_FR.split()),
    "de": frozenset(_DE.split()),
    "ru": frozenset(_RU.split()),
    "hi": frozenset(_HI.split()),
    "zh": frozenset(_ZH.split()),
}

# For text whose language is not known (a short query, a mixed deck): English and Spanish, and the few
# French and German words every older list had. Not all of French and German: "war", "man", "will",
# "also" and "sin" are English or Spanish content words that those lists would drop.
# Hindi function words too: they share no letters with the Latin lists, and a Hindi question on a subject
# whose language is unknown must not rank by "में" and "का".
DEFAULT_STOPWORDS: frozenset[str] = (
    STOPWORDS["en"] | STOPWORDS["es"] | STOPWORDS["hi"] | frozenset(_FR_DE_COMMON.split())
)


@cache
def stopwords(lang: str | None = None) -> frozenset[str]:
    """The stop words of ``lang`` (ISO 639-1), with English ones too (slides in any language quote English
    terms); the default set when the language is unknown or has no list."""
    if lang is None or lang not in STOPWORDS:
        return DEFAULT_STOPWORDS
    return STOPWORDS[lang] | STOPWORDS["en"]


def is_stopword(word: str, lang: str | None = None) -> bool:
    return word.lower() in stopwords(lang)
