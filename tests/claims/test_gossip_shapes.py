"""The main claim of one gossip line, shape by shape (subject and destination of ``primary_claim``).

Each line is written by this project in its own words about a real, reported transfer story;
the report date is the day (or month) it was reported.
"""

from __future__ import annotations

import pytest

from rumourscore import claims
from rumourscore._claims.extraction import primary_claim

CASES = [
    # a club named with the player's country and role is his club, not where he goes
    ("2021-05-20", "Manchester City could turn to Barcelona and France forward Antoine Griezmann.",
     "Antoine Griezmann", "Manchester City"),
    # "linked with Club's player": the club owns the player, the linked clubs are the suitors
    ("2021-02-01", "Tottenham and Juventus have been linked with Sampdoria's Denmark midfielder Mikkel Damsgaard.",
     "Mikkel Damsgaard", "Tottenham Hotspur"),
    # a coach who talks about another club's interest is not the subject
    ("2021-02-05", "Aston Villa boss Dean Smith has dismissed speculation linking Ezri Konsa with Liverpool.",
     "Ezri Konsa", "Liverpool"),
    # a coach speaking for his club: "the club" is the destination
    ("2021-08-13", "Manchester City boss Pep Guardiola says the club are interested in Harry Kane.",
     "Harry Kane", "Manchester City"),
    # a confirmed sale names the buyer after "to"
    ("2023-08-12", "Tottenham have confirmed the sale of Harry Kane to Bayern Munich.", "Harry Kane", "Bayern Munich"),
    # a club that agrees to loan a player out is his origin
    ("2021-07-20", "Chelsea have agreed to loan Conor Gallagher to Crystal Palace.", "Conor Gallagher",
     "Crystal Palace"),
    # the club that beats a rival to a signing is the destination, not the rival
    ("2021-07-10", "Everton hope to beat Arsenal to the signing of Brighton defender Ben White.", "Ben White",
     "Everton"),
    ("2022-06-10", "Liverpool have reached an agreement with Benfica for Darwin Nunez.", "Darwin Nunez", "Liverpool"),
    # the makeweight of a swap is not the subject
    ("2019-08-05", "Juventus offered Paulo Dybala in a swap deal for Romelu Lukaku.", "Romelu Lukaku", "Juventus"),
    # "a second spell at the club" goes back to the former club
    ("2016-06-20", "Ex-Manchester United midfielder Paul Pogba is being considered for a second spell at the club.",
     "Paul Pogba", "Manchester United"),
    # no destination at all: the player alone
    ("2017-08-11", "Philippe Coutinho has handed in a transfer request at Liverpool.", "Philippe Coutinho", None),
    ("2022-12-30", "Cristiano Ronaldo will play for Al-Nassr until 2025.", "Cristiano Ronaldo", "Al-Nassr"),
    # "Costa" is a stop word only before "Rica"
    ("2022-09-12", "Wolves have completed the signing of Diego Costa.", "Diego Costa", "Wolverhampton Wanderers"),
    ("2023-06-01", "Jude Bellingham will leave Borussia Dortmund for Real Madrid.", "Jude Bellingham", "Real Madrid"),
    ("2023-06-15", "A bid for Declan Rice is being prepared by Arsenal.", "Declan Rice", "Arsenal"),
    ("2022-10-04", "Xabi Alonso is set to become the new Bayer Leverkusen coach.", "Xabi Alonso", "Bayer Leverkusen"),
    ("2022-05-01", "Borussia Dortmund fear they will lose Erling Haaland to Manchester City.", "Erling Haaland",
     "Manchester City"),
    # the role a new arrival takes names his new club
    ("2025-05-25", "Xabi Alonso has signed as new Real Madrid head coach.", "Xabi Alonso", "Real Madrid"),
    ("2025-07-01", "Martin Zubimendi will sign his contract at Arsenal this week.", "Martin Zubimendi", "Arsenal"),
    ("2022-10-01", "Graham Potter was the frontrunner to become the next Chelsea manager.", "Graham Potter",
     "Chelsea"),
    # "Jordan" is a first name before a surname, the country before a role word
    ("2023-07-20", "Jordan Henderson is set to join Al-Ettifaq.", "Jordan Henderson", "Al-Ettifaq"),
    # a coach named to a club's job, and a player's choice between two clubs
    ("2021-06-10", "Ange Postecoglou is named Celtic manager.", "Ange Postecoglou", "Celtic"),
    ("2022-05-10", "Erling Haaland chose Manchester City over Real Madrid.", "Erling Haaland", "Manchester City"),
    # "swap X for Y": X is the makeweight, Y the player the club wants
    ("2023-08-01", "Chelsea want to swap Romelu Lukaku for Juventus striker Dusan Vlahovic.", "Dusan Vlahovic",
     "Chelsea"),
    # a coach who wants his club to sign a player is not the subject, even without his title
    ("2023-06-01", "Mikel Arteta wants Arsenal to sign Ivan Toney.", "Ivan Toney", "Arsenal"),
    # a club naming its new coach
    ("2024-06-01", "Chelsea are set to name Enzo Maresca as their new manager.", "Enzo Maresca", "Chelsea"),
    # a season on loan still to come is a move; one under way is where the player is
    ("2021-07-20", "Conor Gallagher will spend the season on loan at Crystal Palace.", "Conor Gallagher",
     "Crystal Palace"),
    ("2021-10-20", "Conor Gallagher, who is spending the season on loan at Crystal Palace, is happy.",
     "Conor Gallagher", None),
]  # fmt: skip


@pytest.mark.parametrize(("date", "text", "subject", "to_club"), CASES)
def test_primary_claim_of_gossip_shapes(date, text, subject, to_club):
    found_subject, found_to_club, _ = primary_claim(text, date)
    assert (found_subject, found_to_club) == (subject, to_club)


def test_a_speaker_about_himself_stays_the_subject():
    found = primary_claim("Erling Haaland says he is happy at Manchester City.", "2023-05-01")
    assert found[0] == "Erling Haaland" and found[1] is None


def test_a_quoted_coach_is_no_subject_but_a_player_he_names_is():
    line = "Pep Guardiola says Manchester City are interested in Harry Kane."
    subject, to_club, _ = primary_claim(line, "2021-08-13")
    assert (subject, to_club) == ("Harry Kane", "Manchester City")


@pytest.mark.parametrize(
    "line",
    [
        "Jude Bellingham turned down Manchester United to join Borussia Dortmund.",
        "Jude Bellingham turned down Manchester United in favour of Borussia Dortmund.",
    ],
)
def test_a_club_turned_down_is_denied_and_the_move_made_instead_is_not(line):
    found = {c.to_club: c for c in claims(line, date="2020-07-01")}
    statuses = {club: c.status for club, c in found.items()}
    assert statuses == {"Manchester United": "denied", "Borussia Dortmund": "rumour"}
    # the denial is set aside for the move made instead: not among its tags, not in its score
    dortmund = found["Borussia Dortmund"]
    assert all(t.kind != "denial" for ev in dortmund.evidence for t in ev.tags)
    assert dortmund.likelihood > found["Manchester United"].likelihood


def test_turning_down_the_chance_to_join_a_club_denies_that_move():
    found = claims("Jude Bellingham turned down the chance to join Manchester United.", date="2020-07-01")
    assert [(c.to_club, c.status) for c in found] == [("Manchester United", "denied")]


def test_a_club_sending_a_player_out_on_loan_is_his_origin():
    subject, to_club, from_club = primary_claim(
        "Chelsea will send Conor Gallagher out on loan to Crystal Palace.", "2021-07-15"
    )
    assert (subject, to_club, from_club) == ("Conor Gallagher", "Crystal Palace", "Chelsea")


def test_a_coach_who_leaves_his_role_leaves_that_club():
    found = primary_claim("Jose Mourinho has been sacked as Tottenham Hotspur manager.", "2021-04-19")
    assert found == ("Jose Mourinho", None, "Tottenham Hotspur")
    # a role he held is his former club, no claim of its own
    assert claims("During his time as Chelsea manager, Jose Mourinho won the league.", date="2021-04-19") == []
