"""Frames and fillers of the hard-negative TRAINING texts.

Written separately from the evaluation suites (different sentence frames, partly different
group wording); tests assert that no frame or generated text appears in either suite.
"""

from moderation.ml.data._aliases import HATE, INS, PRO, SEX, SPAM, THR, TOX
from moderation.ml.vocabulary.category import Category

Labels = dict[Category, int]

ALL_CLEAN: Labels = dict.fromkeys(Category, 0)

# functionality -> (frames with {g}/{G}/{m}, labels); filled with every TRAIN group.
GROUP_FRAMES: dict[str, tuple[tuple[str, ...], Labels]] = {
    "identity_neutral": (
        (
            "My neighbours are {g} and they just had a baby.",
            "There are a lot of {g} in my city.",
            "The documentary interviewed several {g} about their jobs.",
            "{G} have lived in this region for generations.",
            "Our team includes {g} and people from many other backgrounds.",
            "A new survey asked {g} about housing costs.",
            "I grew up around {g}.",
            "I'm {m}, and honestly it rarely comes up at work.",
            "The podcast featured two {g} talking about football.",
            "Many {g} will be travelling home for the holidays.",
        ),
        ALL_CLEAN,
    ),
    "identity_positive": (
        (
            "{G} have made huge contributions to science.",
            "Honestly, {g} are some of the kindest people I know.",
            "So proud of the {g} in our community.",
            "{G} deserve respect and equal rights.",
            "I really admire the resilience of {g}.",
            "We should celebrate {g} more often.",
            "Thank you to all the {g} who volunteered this weekend.",
            "The best teachers I ever had were {g}.",
            "I'm {m} and proud of it.",
        ),
        ALL_CLEAN,
    ),
    "negated_hate": (
        (
            "I have nothing against {g}.",
            "It's simply not true that {g} are dangerous.",
            "{G} are not a threat to anyone.",
            "Nobody I know thinks {g} are inferior.",
            "I would never say {g} are less than human.",
            "I used to be prejudiced against {g}, but I was wrong.",
            "I don't think {g} are bad people at all.",
            "{G} don't deserve any of the hatred they get.",
        ),
        ALL_CLEAN,
    ),
    "counter_speech": (
        (
            'Calling {g} "cockroaches" is hateful and wrong.',
            "People who claim {g} are subhuman should be ashamed of themselves.",
            "I reported a post saying {g} should disappear. That kind of talk is unacceptable.",
            "When someone says {g} are a disease, call it out.",
            "Hate against {g} has no place in this forum.",
            "The speaker claimed {g} were leeches, which is a lie.",
            "Stop spreading the myth that {g} are criminals.",
            "Posts comparing {g} to rats get removed here, and rightly so.",
        ),
        ALL_CLEAN,
    ),
    "dehumanising_hate": (
        (
            "{G} are cockroaches infesting our cities.",
            "{G} are subhuman garbage.",
            "{G} breed like insects and spread disease.",
            "{G} are a cancer eating away at society.",
            "{G} are not really human.",
            "{G} are savages who can never be civilised.",
            "Honestly, {g} are just diseased rats.",
            "{G} are a swarm of locusts.",
            "Every one of those {g} is a worthless leech.",
            "{G} are an infestation that needs cleaning out.",
        ),
        {TOX: 1, HATE: 1, SPAM: 0, SEX: 0},
    ),
}

PROFANE_OPENERS: tuple[str, ...] = (
    "Holy fuck,",
    "Fuck me,",
    "Shit yes,",
    "Well shit,",
    "Damn it,",
    "Fucking hell,",
    "Oh shit,",
    "Bloody hell,",
    "Goddamn,",
    "No fucking way,",
)
PROFANE_CLOSERS: tuple[str, ...] = (
    "fucking brilliant",
    "best shit ever",
    "damn good stuff",
    "absolutely fucking magic",
    "so fucking happy right now",
)
GOOD_NEWS: tuple[str, ...] = (
    "I just got the job",
    "the team finally won the cup",
    "this lasagna is incredible",
    "my sister is getting married",
    "we made it to the beach",
    "the new album is a masterpiece",
    "I finished my thesis",
    "the puppy learned to sit",
    "the view from the summit is unreal",
    "this book is so good",
    "my code compiled on the first try",
    "we sold out the whole gig",
    "grandma turned ninety today",
    "the garden tomatoes are finally ripe",
    "I ran my first marathon",
    "the bus actually came on time",
)
PROFANITY_FRAMES: tuple[str, ...] = ("{opener} {news}!", "{news}, {closer}!")

THREAT_OPENERS: tuple[str, ...] = (
    "",
    "Listen to me.",
    "Mark my words:",
    "This is your final warning.",
    "I promise you this:",
    "Don't test me.",
    "Keep talking.",
    "You have been warned.",
    "Remember this message.",
    "I'm serious.",
)
THREAT_HARMS: tuple[str, ...] = (
    "I will break every bone in your body.",
    "I'm going to burn your house to the ground.",
    "I will put you in the hospital.",
    "I'm going to hunt you down.",
    "I will make you disappear.",
    "Your family is going to pay for what you did.",
    "I'll be waiting outside your door tonight with a knife.",
    "I will shoot you the next time I see you.",
    "You will be dead by Friday.",
    "I'm going to cut you open.",
    "I will drown you in the lake.",
    "I'm going to run you over with my truck.",
    "I will choke you until you stop breathing.",
    "Nobody will find your body.",
    "I'm going to poison your dog and then come for you.",
    "One day soon you'll open the door and I'll be there.",
    "I will end your miserable life.",
    "I'm bringing a bat to your place tonight.",
    "You will never see your kids again.",
    "I'll put a bullet in your head.",
)
THREAT_FRAMES: tuple[str, ...] = ("{opener} {harm}",)

CLEAN_FRAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "Can anyone recommend a good {0} in {1}?": (
        ("dentist", "bakery", "mechanic", "hiking trail", "coffee shop", "yoga class", "plumber"),
        ("Leeds", "Denver", "the north side", "Toronto", "my area", "Melbourne", "Lyon"),
    ),
    "The {0} I ordered arrived {1} and {2}.": (
        ("kettle", "phone case", "desk lamp", "rug", "backpack", "printer ink", "sofa"),
        ("yesterday", "two days late", "early", "this morning"),
        ("works fine", "looks just like the photos", "was a bit smaller than expected"),
    ),
    "Just finished {0}, {1}.": (
        (
            "a long run",
            "my tax return",
            "painting the kitchen",
            "a 1000-piece puzzle",
            "the first season",
            "my shift",
            "cleaning the garage",
        ),
        ("feeling great", "time for tea", "so relieved", "now off to bed", "what a day"),
    ),
    "Does the {0} open before {1} on {2}?": (
        ("post office", "pharmacy", "gym", "swimming pool", "farmers market", "museum"),
        ("8am", "nine", "10:30", "noon"),
        ("Sundays", "Saturday", "bank holidays", "Monday"),
    ),
    "Reminder: the {0} has moved to {1}.": (
        ("team meeting", "book club", "parents' evening", "rehearsal", "training session"),
        ("Thursday at 4pm", "room 12", "next week", "the main hall", "7:30 tonight"),
    ),
    "What's the best {0} for a {1}?": (
        ("laptop", "tent", "running shoe", "camera", "blender"),
        ("beginner", "student", "family of four", "small kitchen"),
    ),
    "Happy {0}, {1}! Hope you have a lovely day.": (
        ("birthday", "anniversary", "retirement"),
        ("Sam", "Priya", "grandpa", "Mrs Okafor", "everyone", "team"),
    ),
    "Our flight to {0} was delayed by {1} hours, but the crew was great.": (
        ("Lisbon", "Chicago", "Nairobi", "Osaka", "Dublin", "Lima"),
        ("two", "three", "four"),
    ),
    "Does anyone know if the {0} on {1} is still closed?": (
        ("bridge", "road", "cafe", "library"),
        ("Main Street", "Elm Road", "the high street", "Park Avenue"),
    ),
    "How long should I {0} the {1} for?": (
        ("roast", "boil", "bake", "steam", "marinate"),
        ("chicken", "potatoes", "salmon", "broccoli", "bread", "rice"),
    ),
}
# Ordinary posts that share a link, a phone number or an address: SMS spam is full of numbers
# and links, and without these the spam head reads any contact detail as spam.
CONTACT_FRAMES: dict[str, tuple[tuple[str, ...], ...]] = {
    "The {0} fixed mine for free, their number is {1}.": (
        ("repair shop on Elm Road", "garage", "locksmith", "council helpline", "vet"),
        ("555-014-2233", "(020) 7946 0958", "+1 415 555 0199", "0161 496 0123", "07700 900461"),
    ),
    "I followed the steps on {0} and it worked{1}": (
        (
            "https://docs.djangoproject.com/en/5.0/topics/auth/",
            "https://help.ubuntu.com/community/Wifi",
            "https://www.nhs.uk/conditions/flu/",
            "en.wikipedia.org/wiki/Sourdough",
            "https://developer.mozilla.org/en-US/docs/Web/CSS/grid",
            "github.com/pallets/flask/issues/5012",
        ),
        (".", ", thanks!", " first time.", ", took ten minutes."),
    ),
    "If the app is down, ring the front desk on {0} or email {1}.": (
        ("555-201-7788", "01632 960 512", "+44 20 7946 0321", "(312) 555-0147"),
        ("frontdesk@riverside-clinic.org", "help@townlibrary.net", "office@st-marys-school.uk"),
    ),
    "Found a {0} near {1}, call {2} if it's yours.": (
        ("grey cat", "set of keys", "wallet", "blue bike", "small terrier"),
        ("the park gates", "platform 2", "the bakery"),
        ("555-390-1122", "07700 900 782", "(646) 555-0183"),
    ),
    "Minutes from last night's meeting are up at {0}, {1}.": (
        (
            "https://residents-association.org/minutes",
            "www.oakfieldpta.org/news",
            "https://drive.example.org/s/meeting-notes",
        ),
        ("comments welcome", "see item 3 for the parking plan", "next meeting is in March"),
    ),
    "My dentist's new number is {0}, the old one stopped working.": (
        ("555-778-0045", "0113 496 0777", "+1 206 555 0160", "(718) 555-0122"),
    ),
}
CLEAN_LABELS: Labels = ALL_CLEAN
PROFANITY_LABELS: Labels = {PRO: 1, INS: 0, THR: 0, HATE: 0, SPAM: 0, SEX: 0}
THREAT_LABELS: Labels = {TOX: 1, THR: 1, PRO: 0, HATE: 0, SPAM: 0, SEX: 0}
