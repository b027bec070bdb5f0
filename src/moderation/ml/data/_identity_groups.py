"""Identity groups filled into the suite and hard-negative templates.

The evaluation suites and the training generator use partly different surface forms on purpose
("Muslims" vs "Muslim people", "immigrants" vs "migrants"), so a model cannot pass the suites by
memorising the exact phrases it was trained on.
"""

from typing import NamedTuple


class Group(NamedTuple):
    """key: the identity term (subgroup id); plural: "{G} are ..."; member: "I am {member}"."""

    key: str
    plural: str
    member: str


EVAL_GROUPS: tuple[Group, ...] = (
    Group("women", "women", "a woman"),
    Group("men", "men", "a man"),
    Group("trans", "trans people", "trans"),
    Group("gay", "gay people", "gay"),
    Group("lesbian", "lesbians", "a lesbian"),
    Group("bisexual", "bisexual people", "bisexual"),
    Group("black", "Black people", "Black"),
    Group("white", "white people", "white"),
    Group("asian", "Asian people", "Asian"),
    Group("muslim", "Muslims", "Muslim"),
    Group("jewish", "Jews", "Jewish"),
    Group("christian", "Christians", "Christian"),
    Group("hindu", "Hindus", "Hindu"),
    Group("immigrant", "immigrants", "an immigrant"),
    Group("refugee", "refugees", "a refugee"),
    Group("disabled", "disabled people", "disabled"),
    Group("mexican", "Mexicans", "Mexican"),
    Group("indian", "Indians", "Indian"),
    Group("arab", "Arabs", "Arab"),
    Group("deaf", "deaf people", "deaf"),
)

TRAIN_GROUPS: tuple[Group, ...] = (
    Group("women", "women", "a woman"),
    Group("women", "girls", "a girl"),
    Group("men", "guys", "a guy"),
    Group("trans", "transgender people", "transgender"),
    Group("trans", "trans women", "a trans woman"),
    Group("gay", "gay men", "a gay man"),
    Group("gay", "homosexuals", "homosexual"),
    Group("lesbian", "lesbian women", "a lesbian woman"),
    Group("bisexual", "bisexuals", "bi"),
    Group("black", "Black folks", "a Black man"),
    Group("black", "African Americans", "African American"),
    Group("white", "white folks", "a white guy"),
    Group("asian", "Chinese people", "Chinese"),
    Group("asian", "Koreans", "Korean"),
    Group("muslim", "Muslim people", "a Muslim"),
    Group("jewish", "Jewish people", "a Jew"),
    Group("christian", "Catholics", "Catholic"),
    Group("sikh", "Sikhs", "Sikh"),
    Group("immigrant", "migrants", "a migrant"),
    Group("refugee", "asylum seekers", "an asylum seeker"),
    Group("disabled", "wheelchair users", "a wheelchair user"),
    Group("disabled", "autistic people", "autistic"),
    Group("latino", "Latinos", "Latino"),
    Group("pakistani", "Pakistanis", "Pakistani"),
    Group("nigerian", "Nigerians", "Nigerian"),
    Group("roma", "Roma people", "Roma"),
    Group("elderly", "old people", "old"),
    Group("atheist", "atheists", "an atheist"),
)


def capitalised(phrase: str) -> str:
    """First letter upper-cased, the rest untouched ("gay people" -> "Gay people")."""
    return phrase[:1].upper() + phrase[1:]


def fill(frame: str, group: Group) -> str:
    """Frame with {g} (plural), {G} (plural, sentence start) and {m} (member) filled in."""
    return frame.format(g=group.plural, G=capitalised(group.plural), m=group.member)
