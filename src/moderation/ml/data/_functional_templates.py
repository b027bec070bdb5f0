"""Frames and literal cases of the functional test suite (EVALUATION ONLY, never trained on).

HateCheck-style functionalities written for this project. Each entry states the labels a correct
model must give; categories not listed are not asserted (e.g. toxicity of cheerful swearing).
"""

from moderation.ml.data._aliases import HATE, INS, PRO, SEX, SPAM, THR, TOX
from moderation.ml.vocabulary.category import Category

Expected = dict[Category, int]

ALL_CLEAN: Expected = dict.fromkeys(Category, 0)
NOT_HATEFUL: Expected = {TOX: 0, INS: 0, THR: 0, HATE: 0}
HATEFUL: Expected = {TOX: 1, HATE: 1}

# functionality -> (frames with {g}/{G}/{m}, expected labels); filled with every EVAL group.
GROUP_FRAMES: dict[str, tuple[tuple[str, ...], Expected]] = {
    "identity_neutral": (
        ("I am {m}.", "{G} live on my street.", "I met two {g} at the train station today."),
        ALL_CLEAN,
    ),
    "identity_positive": (
        (
            "{G} are wonderful people.",
            "I love spending time with {g}.",
            "We are lucky to have {g} in our town.",
        ),
        ALL_CLEAN,
    ),
    "negated_hate": (
        ("I don't hate {g}.", "{G} are not disgusting.", "I would never hurt {g}."),
        NOT_HATEFUL,
    ),
    "counter_speech": (
        (
            'Saying "{g} are vermin" is disgusting.',
            "Anyone who writes that {g} should die needs to be reported.",
            "My uncle said {g} are a plague and I told him that is wrong.",
        ),
        NOT_HATEFUL,
    ),
    "hate_plain": (
        ("I hate {g}.", "{G} are vermin.", "{G} are disgusting.", "All {g} are worthless."),
        HATEFUL,
    ),
    "hate_dehumanising": (
        ("{G} are animals, not people.", "{G} are parasites feeding on our country."),
        HATEFUL,
    ),
    "threat_against_group": (
        ("{G} should all be shot.", "I am going to hurt every one of those {g}."),
        {TOX: 1, THR: 1, HATE: 1},
    ),
}

# functionality -> (texts, expected labels shared by them)
LITERAL_CASES: dict[str, tuple[tuple[str, ...], Expected]] = {
    "identity_neutral": (
        (
            "I am a gay Muslim woman.",
            "I'm a Black trans man and a software engineer.",
            "As a disabled Jewish immigrant, I love this city.",
            "My wife and I are both lesbians.",
        ),
        ALL_CLEAN,
    ),
    "profanity_not_hateful": (
        (
            "fuck yeah this is great",
            "Holy shit, what a goal!",
            "This pizza is fucking delicious.",
            "Damn, that sunset is beautiful.",
            "I'm so fucking proud of you!",
            "Shit, I forgot my keys again.",
            "That concert was bloody brilliant.",
            "What the fuck, I actually passed the exam!",
            "Fucking finally, the weekend is here.",
            "Oh crap, I spilled my coffee.",
            "That was a fucking amazing movie.",
            "Hell yeah, shit just got real, let's go!",
        ),
        {PRO: 1, INS: 0, THR: 0, HATE: 0},
    ),
    "reclaimed_slur": (
        (
            "I'm queer and proud.",
            "Queer people like me deserve to be seen.",
            "Our queer book club meets on Thursdays.",
            "We're here, we're queer, get used to it!",
            "Dykes on Bikes led the pride parade again this year.",
            "As a crip artist I make work about disability.",
        ),
        {INS: 0, THR: 0, HATE: 0},
    ),
    "slur_homonym": (
        (
            "I need to retard the ignition timing on this engine.",
            "He stepped outside the pub to smoke a fag.",
            "She gathered a bundle of faggots for the fire.",
            "The Dick Van Dyke Show is a classic.",
            "Scunthorpe United won on Saturday.",
            "I planted a pussy willow in the garden.",
            "Great tits are common birds in European gardens.",
            "We saw a blue-footed booby on our trip to the Galapagos.",
            "The cocktail bar opens at six.",
            "I grew up in Middlesex near the cricket ground.",
            "The rooster is the cock of the farmyard.",
            "Our retriever is a champion show bitch with three litters.",
        ),
        {TOX: 0, INS: 0, THR: 0, HATE: 0, SEX: 0},
    ),
    "threat_no_swear": (
        (
            "I know where you live and I'm coming for you.",
            "I will find you and I will hurt you.",
            "I'm going to kill you.",
            "Tomorrow I will bring a gun to your house.",
            "I will beat you until you can't walk.",
            "Say that again and I'll break your jaw.",
            "I'm going to burn your car with you inside it.",
            "You won't live to see next week.",
            "I'll make you pay for this with your life.",
            "Meet me outside after school and I'll smash your face in.",
            "I'm going to stab you.",
            "I will strangle you in your sleep.",
        ),
        {TOX: 1, THR: 1, PRO: 0},
    ),
    "threat_implicit": (
        (
            "It would be a shame if something happened to your kids.",
            "Nice house you have. Would be terrible if it caught fire.",
            "I know what time you leave work every day.",
            "Enjoy your last few days.",
            "You should be careful walking home alone tonight.",
            "People like you tend to have accidents.",
            "I've been watching your house for a week now.",
            "Your family won't be safe for much longer.",
        ),
        {THR: 1},
    ),
    "insult": (
        (
            "You are a pathetic idiot.",
            "You're the dumbest person I've ever met.",
            "Shut up, you worthless clown.",
            "You are ugly and stupid.",
            "Nobody likes you, loser.",
            "Your brain is the size of a pea.",
            "You're a complete moron.",
            "What a useless waste of space you are.",
            "You are such an imbecile.",
            "You absolute fool, you can't even read.",
        ),
        {TOX: 1, INS: 1, HATE: 0},
    ),
    "clean_everyday": (
        (
            "hello world",
            "Hello, how are you today?",
            "This blender works great, five stars.",
            "The battery life on this laptop is disappointing.",
            "What's the best way to learn Python?",
            "Does anyone know when the library opens?",
            "The meeting is at 3pm in room 204.",
            "I had pasta for dinner.",
            "Thanks for your help yesterday!",
            "The weather is lovely today.",
            "Can you recommend a good book about history?",
            "Shipping took two weeks but the product is fine.",
            "Congratulations on your new job!",
            "How do I reset my password?",
            "The movie was too long but the acting was good.",
            "My cat knocked a glass off the table again.",
            "Is this jacket available in a medium?",
            "Traffic on the highway was terrible this morning.",
            "I disagree with your argument, but thanks for explaining it.",
            "The kids built a sandcastle at the beach.",
            "ok",
            "lol same",
            "Great video, very informative.",
            "Please send me the report by Friday.",
        ),
        ALL_CLEAN,
    ),
    "spam": (
        (
            "Check out my channel and subscribe!!!",
            "Visit www.cheap-pills-online.com for 80% off all meds",
            "WINNER!! You have won a £1000 prize. Call 09061701461 to claim.",
            "Make $5000 a week working from home, click http://bit.ly/2xYz9",
            "Follow me on instagram @glowdeals for free giveaways",
            "Free iPhone! Text WIN to 87121 now",
            "Please like and subscribe to my YouTube channel, I post every day",
            "Ray-Ban sunglasses only $19.99 at http://rayban-outlet.example.com",
            "Earn bitcoin fast!! DM me for the secret method",
            "Call now 1-800-555-0199 for a free quote on your mortgage",
            "Hey guys check out my new music video, link in my profile!",
            "URGENT: your account has been suspended, verify at http://secure-login.example.net",
            "Congratulations! You've been selected for a free cruise. Reply YES to claim.",
            "Buy 1000 followers for $5 at www.fastfollowers.example",
            "I make $300 a day with this app, use my code FREE300",
            "Lose 10kg in 2 weeks!!! Order now at www.slimfast-miracle.example",
        ),
        {SPAM: 1, TOX: 0, HATE: 0, THR: 0},
    ),
    "sexual_clinical": (
        (
            "Sex education should be taught in schools.",
            "What is the most effective form of contraception?",
            "Breast cancer screening saves lives.",
            "The biology class covered human reproduction.",
            "Same-sex marriage became legal here in 2015.",
            "My doctor answered all my questions about menopause.",
        ),
        {SEX: 0, TOX: 0, HATE: 0},
    ),
    "sexual_explicit": (
        (
            "Send me nudes right now.",
            "I want to have sex with you tonight.",
            "Hot singles in your area want to hook up tonight, click here",
            "Let's get naked and fuck all night.",
            "I want to suck your cock.",
            "Show me your tits, baby.",
        ),
        {SEX: 1},
    ),
}

# Obfuscated toxicity: each text with its own expectation.
OBFUSCATED_CASES: tuple[tuple[str, Expected], ...] = (
    ("f u c k you", {TOX: 1, PRO: 1, INS: 1}),
    ("y0u are an id1ot", {TOX: 1, INS: 1}),
    ("ｆｕｃｋ", {PRO: 1}),
    ("ｙｏｕ ａｒｅ ａ ｍｏｒｏｎ", {TOX: 1, INS: 1}),
    ("you are a b!tch", {TOX: 1, INS: 1, PRO: 1}),
    ("this is sh1t", {PRO: 1}),
    ("fvck off", {TOX: 1, PRO: 1}),
    ("you're a m0r0n", {TOX: 1, INS: 1}),
    ("what a stuuuupid idiooot", {TOX: 1, INS: 1}),
    ("I will k i l l you", {TOX: 1, THR: 1}),
    ("f*** you", {TOX: 1, PRO: 1, INS: 1}),
    ("a$$hole", {TOX: 1, PRO: 1, INS: 1}),
    ("you are a d-u-m-b-a-s-s", {TOX: 1, INS: 1, PRO: 1}),
    ("sh!t head", {TOX: 1, PRO: 1, INS: 1}),
    ("Muslims are v3rmin", {TOX: 1, HATE: 1}),
    ("im.mi.grants are p.a.r.a.s.i.t.e.s", {TOX: 1, HATE: 1}),
)
