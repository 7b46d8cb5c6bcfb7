"""Demonstration data: users, a registry of actors and a believable caseload for the North.

Two steps, so that a seed always gives the same data:

1. ``plan_demo()`` is a pure function of (number of cases, seed, today): it draws every
   case (place, conflict type, parties, narrative) and the path it takes through the
   workflow (sessions, escalations, agreement, follow-up visits, referral and feedback),
   with dated steps, using ``random.Random(seed)`` and nothing else.
2. ``seed_demo()`` applies a plan through the case services only (``register_case``,
   ``transition``, ``record_session``, ``escalate``, ``record_agreement``,
   ``record_referral``, ``record_referral_feedback``, ``record_follow_up``,
   ``open_linked_case``, ``translate_narrative``), so the history of every case is real
   and every rule of the workflow holds: crimes (★ types) and cases with deaths or serious
   injuries are referred, never mediated.

The plan also holds the community policing around the cases (drawn from a random stream of
its own, so the cases of a seed do not depend on it): units in the communes with cases,
security committees with their members and monthly meetings, about three activities per
case and one alert for two cases. ``seed_demo()`` applies it through the policing services
(``save_police_unit``, ``save_committee``, ``save_member``, ``save_meeting``,
``set_recommendation_status``, ``save_activity``, ``save_alert``), and the area's
coordinator turns about one alert in ten into a case (``alert_to_case``). A run of recent
alerts in Gounzoureye (Gao) and one in Ber (Tombouctou) reach the early-warning threshold.
Alert sources are pseudonymous relay codes (``GAO-R-017``), never names.

Every date is on or before ``today``, which defaults to the real date (the services refuse
dates in the future). The services stamp events, closures and linked cases (recurrences,
civil cases) with the real current time: that is expected.

Names, places and stories are invented for demonstration; any resemblance to real persons
is a coincidence.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import force_locale

from casework.auth import services as accounts
from casework.auth.models import User
from casework.auth.roles import Role
from casework.cases import services as case_services
from casework.cases.access import in_area
from casework.cases.enums import (
    AgeBand,
    AgreementForm,
    Compliance,
    Confidentiality,
    PartyKind,
    PartyRole,
    SessionResult,
    Sex,
)
from casework.cases.models import (
    Actor,
    Agreement,
    Case,
    FollowUp,
    MediationSession,
    Party,
    Referral,
)
from casework.cases.states import HIGHEST_MEDIATION_LEVEL, CaseStatus
from casework.db import utcnow
from casework.extensions import db
from casework.geo.models import AdminUnit
from casework.geo.services import get_unit_by_code, seed_units
from casework.policing import services as policing
from casework.policing.enums import Force, RecommendationStatus
from casework.policing.models import (
    Activity,
    Alert,
    CommitteeMeeting,
    PoliceUnit,
    SecurityCommittee,
)
from casework.text import fold
from casework.vocab.services import seed_vocabularies

S = CaseStatus
DEFAULT_CASES = 200
DEFAULT_SEED = 2026
# Events happen over the last 18 months; a report comes 0 to 20 days after the event.
MAX_AGE_DAYS = 545
MAX_SESSIONS = 5
DEFAULT_FOLLOW_UP_DAYS = (30, 90)

# --- users and actors -----------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: str
    area_code: str


DEMO_USERS = (
    DemoUser("aminata.maiga", "Aminata Maïga", Role.COORDINATOR.value, "GAO"),
    DemoUser("moussa.agintalla", "Moussa Ag Intalla", Role.MEDIATOR.value, "GAO-GAO"),
    DemoUser("fatoumata.toure", "Fatoumata Touré", Role.MEDIATOR.value, "TBK"),
    DemoUser("oumar.cisse", "Oumar Cissé", Role.COORDINATOR.value, "MNK"),
    # Kidal and Mopti have cases too: someone must work there.
    DemoUser("mohamed.agalhassane", "Mohamed Ag Alhassane", Role.COORDINATOR.value, "KDL"),
    DemoUser("hawa.diallo", "Hawa Diallo", Role.MEDIATOR.value, "MPT"),
    # Community-police focal points (they record activities and alerts, not cases).
    DemoUser("sekou.dembele", "Sékou Dembélé", Role.POLICE.value, "GAO"),
    DemoUser("hadizatou.maiga", "Hadizatou Maïga", Role.POLICE.value, "TBK"),
)


@dataclass(frozen=True)
class DemoActor:
    actor_type: str
    name: str
    function: str
    organisation: str | None
    sex: str
    unit_code: str
    region: str
    trained: bool


def _actor(actor_type, name, function, organisation, sex, unit_code, trained=False):
    return DemoActor(
        actor_type, name, function, organisation, sex, unit_code, unit_code[:3], trained
    )


DEMO_ACTORS = (
    # Gao
    _actor(
        "CHEF_VILLAGE",
        "Alassane Hamma Maïga",
        "Chef de village de Wabaria",
        None,
        "M",
        "GAO-GAO-GOUNZOUREYE-WABARIA",
        True,
    ),
    _actor("CADI", "Mahamane Alfa Haïdara", "Cadi de Gao", None, "M", "GAO-GAO-GAO"),
    _actor(
        "IMAM", "Abdourahamane Baby", "Imam de la mosquée de Gabero", None, "M", "GAO-GAO-GABERO"
    ),
    _actor(
        "GRIOT",
        "Garba Yattara",
        "Griot, communicateur traditionnel",
        None,
        "M",
        "GAO-GAO-GAO",
        True,
    ),
    _actor(
        "MAIRE",
        "Aïssata Touré",
        "Adjointe au maire de Gounzoureye",
        "Mairie de Gounzoureye",
        "F",
        "GAO-GAO-GOUNZOUREYE",
        True,
    ),
    _actor(
        "MEMBRE_COFO",
        "Hamadoun Dicko",
        "Membre de la commission foncière",
        "COFO d'Ansongo",
        "M",
        "GAO-ANSONGO-ANSONGO",
        True,
    ),
    _actor(
        "ASSOC_FEMMES",
        "Haoua Cissé",
        "Présidente de l'association des femmes de Château",
        "Association des femmes de Château",
        "F",
        "GAO-GAO-GAO-CHATEAU",
        True,
    ),
    _actor("CHEF_FRACTION", "Attaher Ag Mohamed", "Chef de fraction", None, "M", "GAO-GAO-NTILLIT"),
    _actor(
        "MEMBRE_COMITE_PAIX",
        "Oumou Sow",
        "Membre du comité local de paix",
        "Comité local de paix de Bourem",
        "F",
        "GAO-BOUREM-BOUREM",
        True,
    ),
    _actor(
        "SOUS_PREFET",
        "Seydou Coulibaly",
        "Sous-préfet",
        "Sous-préfecture de Gabero",
        "M",
        "GAO-GAO-GABERO",
    ),
    # Tombouctou
    _actor(
        "CHEF_QUARTIER",
        "Baba Djitteye",
        "Chef de quartier",
        None,
        "M",
        "TBK-TOMBOUCTOU-TOMBOUCTOU",
        True,
    ),
    _actor("CADI", "Sidi Mohamed Ould Bady", "Cadi de Ber", None, "M", "TBK-TOMBOUCTOU-BER"),
    _actor("IMAM", "Mahamadou Alpha Cissé", "Imam d'Alafia", None, "M", "TBK-TOMBOUCTOU-ALAFIA"),
    _actor(
        "CHEF_VILLAGE",
        "Hamidou Arby",
        "Chef de village",
        None,
        "M",
        "TBK-TOMBOUCTOU-BOUREM-INALY",
        True,
    ),
    _actor(
        "MEMBRE_COFO",
        "Kadidia Touré",
        "Membre de la commission foncière",
        "COFO de Diré",
        "F",
        "TBK-DIRE-DIRE",
        True,
    ),
    _actor(
        "PARENT_PLAISANTERIE",
        "Bokary Sangaré",
        "Parent à plaisanterie",
        None,
        "M",
        "TBK-NIAFUNKE-SOBOUNDOU",
    ),
    _actor(
        "ASSOC_FEMMES",
        "Fadimata Walet Ahmed",
        "Présidente de l'association des femmes",
        "Association des femmes de Goundam",
        "F",
        "TBK-GOUNDAM-GOUNDAM",
        True,
    ),
    _actor(
        "MAIRE", "Yéhia Maïga", "Maire de Salam", "Mairie de Salam", "M", "TBK-TOMBOUCTOU-SALAM"
    ),
    # Kidal
    _actor("CADI", "Alhassane Ag Elmoctar", "Cadi de Kidal", None, "M", "KDL-KIDAL-KIDAL", True),
    _actor(
        "CHEF_FRACTION",
        "Ibrahim Ag Acharatoumane",
        "Chef de fraction",
        None,
        "M",
        "KDL-KIDAL-ANEFIF",
    ),
    _actor(
        "ASSOC_FEMMES",
        "Tina Walet Intalla",
        "Animatrice",
        "Association des femmes d'Essouk",
        "F",
        "KDL-KIDAL-ESSOUK",
        True,
    ),
    # Ménaka
    _actor(
        "CHEF_FRACTION",
        "Bilal Ag Hamatou",
        "Chef de fraction",
        None,
        "M",
        "MNK-INEKAR-INEKAR",
        True,
    ),
    _actor(
        "MEMBRE_CCS",
        "Hawa Barry",
        "Membre du comité consultatif de sécurité",
        "CCS de Ménaka",
        "F",
        "MNK-MENAKA-MENAKA",
        True,
    ),
    _actor("NOTABLE", "Assalat Ag Bibi", "Notable", None, "M", "MNK-ANDERAMBOUKANE-ANDERAMBOUKANE"),
    _actor(
        "MEMBRE_COMITE_PAIX",
        "Moulaye Ould Sidi",
        "Membre du comité de paix",
        "Comité de paix de Ménaka",
        "M",
        "MNK-MENAKA-MENAKA",
    ),
    # Mopti
    _actor(
        "CHEF_VILLAGE", "Amadou Guindo", "Chef de village", None, "M", "MPT-BANDIAGARA-BANDIAGARA"
    ),
    _actor("MARABOUT", "Hama Cissé", "Marabout", None, "M", "MPT-DJENNE-DJENNE"),
    _actor(
        "MEMBRE_COFO",
        "Djénéba Diarra",
        "Membre de la commission foncière",
        "COFO de Mopti",
        "F",
        "MPT-MOPTI-MOPTI",
        True,
    ),
    _actor(
        "ASSOC_JEUNES",
        "Ousmane Tamboura",
        "Président de l'association des jeunes",
        "Association des jeunes de Douentza",
        "M",
        "MPT-DOUENTZA-DOUENTZA",
    ),
)

# Who sits at each level of the ladder (DOMAIN.md §2).
LEVEL_ACTOR_TYPES = {
    0: ("NOTABLE", "PARENT_PLAISANTERIE"),
    1: ("NOTABLE", "GRIOT", "PARENT_PLAISANTERIE", "ASSOC_FEMMES", "ASSOC_JEUNES", "MARABOUT"),
    2: ("CHEF_VILLAGE", "CHEF_FRACTION", "CHEF_QUARTIER", "CONSEILLER", "CADI", "IMAM"),
    3: ("MAIRE", "MEMBRE_COFO", "MEMBRE_COMITE_PAIX", "MEMBRE_CCS", "ASSOC_FEMMES"),
    4: ("SOUS_PREFET", "PREFET", "MAIRE"),
}
LEVEL_MECHANISMS = {
    0: (("AMIABLE", 1),),
    1: (("MEDIATION_TIERCE", 3), ("COUSINAGE_PLAISANTERIE", 2), ("PALABRE", 2), ("ALLIANCE", 1)),
    2: (("CONCILIATION_CHEF", 4), ("ARBITRAGE_RELIGIEUX", 2), ("PALABRE", 2)),
    3: (("CCS_CONCERTATION", 2), ("MEDIATION_TIERCE", 2), ("PALABRE", 1)),
    4: (("ADMINISTRATIF", 1),),
}
LEVEL_PLACES = {
    0: (("SUR_LE_TERRAIN", 3), ("AUTRE", 1)),
    1: (("ARBRE_PALABRE", 3), ("SUR_LE_TERRAIN", 1), ("MOSQUEE", 1)),
    2: (("VESTIBULE_CHEF", 4), ("MOSQUEE", 1), ("ARBRE_PALABRE", 2)),
    3: (("MAIRIE", 1),),
    4: (("SOUS_PREFECTURE", 1),),
}
LAND_TYPES = ("FONCIER", "PATURAGE")

# --- places ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPlace:
    code: str
    region: str
    name: str
    weight: float


PLACES = (
    # Gao: the commune, three quarters, two villages and the other communes.
    DemoPlace("GAO-GAO-GAO", "GAO", "Gao", 4),
    DemoPlace("GAO-GAO-GAO-CHATEAU", "GAO", "Château", 1.5),
    DemoPlace("GAO-GAO-GAO-SOSSO-KOIRA", "GAO", "Sosso Koïra", 1.5),
    DemoPlace("GAO-GAO-GAO-ALJANABANDJA", "GAO", "Aljanabandja", 1),
    DemoPlace("GAO-GAO-ANCHAWADI", "GAO", "Anchawadi", 2),
    DemoPlace("GAO-GAO-GABERO", "GAO", "Gabero", 3),
    DemoPlace("GAO-GAO-GOUNZOUREYE", "GAO", "Gounzoureye", 2),
    DemoPlace("GAO-GAO-GOUNZOUREYE-WABARIA", "GAO", "Wabaria", 1.5),
    DemoPlace("GAO-GAO-GOUNZOUREYE-KOIMA", "GAO", "Koïma", 1.5),
    DemoPlace("GAO-GAO-NTILLIT", "GAO", "N'Tillit", 2.5),
    DemoPlace("GAO-GAO-SONY-ALIBER", "GAO", "Sony Aliber", 2),
    DemoPlace("GAO-GAO-TILEMSI", "GAO", "Tilemsi", 2.5),
    DemoPlace("GAO-ANSONGO-ANSONGO", "GAO", "Ansongo", 3.5),
    DemoPlace("GAO-BOUREM-BOUREM", "GAO", "Bourem", 3.5),
    # Tombouctou
    DemoPlace("TBK-TOMBOUCTOU-TOMBOUCTOU", "TBK", "Tombouctou", 5),
    DemoPlace("TBK-TOMBOUCTOU-ALAFIA", "TBK", "Alafia", 3),
    DemoPlace("TBK-TOMBOUCTOU-BER", "TBK", "Ber", 3.5),
    DemoPlace("TBK-TOMBOUCTOU-BOUREM-INALY", "TBK", "Bourem-Inaly", 3),
    DemoPlace("TBK-TOMBOUCTOU-LAFIA", "TBK", "Lafia", 2.5),
    DemoPlace("TBK-TOMBOUCTOU-SALAM", "TBK", "Salam", 3),
    DemoPlace("TBK-DIRE-DIRE", "TBK", "Diré", 3),
    DemoPlace("TBK-GOUNDAM-GOUNDAM", "TBK", "Goundam", 3),
    DemoPlace("TBK-GOURMA-RHAROUS-GOURMA-RHAROUS", "TBK", "Gourma-Rharous", 2.5),
    DemoPlace("TBK-NIAFUNKE-SOBOUNDOU", "TBK", "Soboundou", 2.5),
    # Ménaka
    DemoPlace("MNK-MENAKA-MENAKA", "MNK", "Ménaka", 5),
    DemoPlace("MNK-ANDERAMBOUKANE-ANDERAMBOUKANE", "MNK", "Andéramboukane", 2.5),
    DemoPlace("MNK-INEKAR-INEKAR", "MNK", "Inékar", 2),
    DemoPlace("MNK-TIDERMENE-TIDERMENE", "MNK", "Tidermène", 1.5),
    DemoPlace("MNK-TIDERMENE-ALATA", "MNK", "Alata", 1),
    # Kidal
    DemoPlace("KDL-KIDAL-KIDAL", "KDL", "Kidal", 4),
    DemoPlace("KDL-KIDAL-ANEFIF", "KDL", "Anéfif", 1.5),
    DemoPlace("KDL-KIDAL-ESSOUK", "KDL", "Essouk", 1.5),
    DemoPlace("KDL-ABEIBARA-ABEIBARA", "KDL", "Abeïbara", 1),
    DemoPlace("KDL-TESSALIT-TESSALIT", "KDL", "Tessalit", 1),
    DemoPlace("KDL-TIN-ESSAKO-TIN-ESSAKO", "KDL", "Tin-Essako", 1),
    # Mopti
    DemoPlace("MPT-MOPTI-MOPTI", "MPT", "Mopti", 3),
    DemoPlace("MPT-BANDIAGARA-BANDIAGARA", "MPT", "Bandiagara", 1.5),
    DemoPlace("MPT-BANKASS-BANKASS", "MPT", "Bankass", 1),
    DemoPlace("MPT-DJENNE-DJENNE", "MPT", "Djenné", 1.5),
    DemoPlace("MPT-DOUENTZA-DOUENTZA", "MPT", "Douentza", 2),
    DemoPlace("MPT-KORO-KORO", "MPT", "Koro", 1),
    DemoPlace("MPT-TENENKOU-TENENKOU", "MPT", "Ténenkou", 1.5),
    DemoPlace("MPT-YOUWAROU-YOUWAROU", "MPT", "Youwarou", 1.5),
)

VILLAGES = {
    "GAO": ("Koïma", "Wabaria", "Tacharane", "Bagoundjé", "Kadji", "Berra", "Djébock",
            "Forgho", "Haoussa Foulane", "Bara", "Kardjimi", "Tabango"),
    "TBK": ("Kabara", "Toya", "Hondoubomo", "Koïra Tao", "Bellesao", "Tintadeini", "Koriomé",
            "Daye", "Hamabangou", "Tassakane"),
    "KDL": ("Takalot", "Telabit", "Intachdayte", "Amassine", "Tarlit"),
    "MNK": ("Tinfadimata", "Infoukaretane", "Tamalat", "Ikadewan", "Tabankort", "Inchinanane"),
    "MPT": ("Sévaré", "Soufouroulaye", "Konna", "Fatoma", "Diafarabé", "Dialloubé", "Mondoro",
            "Sangha", "Toguéré Koumbé"),
}  # fmt: skip

# --- names ----------------------------------------------------------------------------------

GIVEN = {
    "songhai": {
        "M": ("Alassane", "Boubacar", "Mahamane", "Ousmane", "Abdoulaye", "Issa", "Souleymane",
              "Almoustapha", "Hamidou", "Garba", "Abdourahamane", "Mahamadou", "Yéhia", "Oumarou",
              "Baba", "Moussa"),
        "F": ("Aïssata", "Fatouma", "Mariam", "Haoua", "Kadidia", "Zeinabou", "Hadizatou",
              "Safiatou", "Ramata", "Adizatou", "Fanta"),
    },
    "peul": {
        "M": ("Hamadoun", "Amadou", "Boubacar", "Oumarou", "Hama", "Ousmane", "Issiaka", "Bokary",
              "Sékou", "Hassane", "Ali"),
        "F": ("Fatimata", "Kadiatou", "Aïssata", "Djénéba", "Hawa", "Oumou", "Diaka", "Fanta",
              "Mariam"),
    },
    "tamasheq": {
        "M": ("Mohamed", "Alhassane", "Attaher", "Bilal", "Ibrahim", "Assalat", "Ahmoudou",
              "Alghabass", "Akly", "Intahmadou", "Elmehdi", "Hamatou", "Intalla", "Acharatoumane",
              "Elmoctar", "Bibi"),
        "F": ("Fadimata", "Tina", "Takiya", "Aminatou", "Lalla", "Mina", "Tafa", "Zahra"),
    },
    "arabe": {
        "M": ("Mohamed", "Sidi Mohamed", "Ahmed", "Baba", "Hamma", "Moulaye", "Sidi", "Bady",
              "Abderrahmane"),
        "F": ("Fatimata", "Khadija", "Mariem", "Zeinabou", "Aïcha", "Salka"),
    },
    "bambara": {
        "M": ("Bakary", "Seydou", "Drissa", "Modibo", "Lassine", "Mamadou", "Sidiki", "Adama",
              "Youssouf"),
        "F": ("Assitan", "Kadiatou", "Bintou", "Nana", "Mariam", "Sitan", "Djénéba", "Aminata"),
    },
    "dogon": {
        "M": ("Ogobara", "Amassagou", "Yacouba", "Dramane", "Amadou", "Seydou"),
        "F": ("Yabarou", "Kadidia", "Fatoumata", "Aïssata", "Yapéré"),
    },
    "bozo": {
        "M": ("Bakary", "Sory", "Mamadou", "Siaka", "Ladji"),
        "F": ("Nianso", "Assan", "Fatoumata", "Maïmouna"),
    },
}  # fmt: skip
SURNAMES = {
    "songhai": ("Maïga", "Touré", "Cissé", "Haïdara", "Djitteye", "Arby", "Yattara", "Baby",
                "Alpha", "Koïna"),
    "peul": ("Diallo", "Barry", "Sow", "Dicko", "Cissé", "Bah", "Sidibé", "Sangaré", "Tamboura",
             "Boly"),
    "bambara": ("Traoré", "Coulibaly", "Keïta", "Diarra", "Konaté", "Dembélé", "Sanogo",
                "Doumbia"),
    "dogon": ("Guindo", "Dolo", "Togo", "Kassogué", "Ouologuem", "Tembely"),
    "bozo": ("Kanta", "Djénépo", "Nientao", "Karabenta"),
}  # fmt: skip
# (community label, French adjective, English adjective)
ETHNIC_LABEL = {
    "songhai": ("Songhaï", "songhaï", "Songhaï"),
    "peul": ("Peul", "peule", "Peul"),
    "tamasheq": ("Tamasheq", "tamasheq", "Tamasheq"),
    "arabe": ("Arabe", "arabe", "Arab"),
    "bambara": ("Bambara", "bambara", "Bambara"),
    "dogon": ("Dogon", "dogon", "Dogon"),
    "bozo": ("Bozo", "bozo", "Bozo"),
}
REGION_ETHNIC = {
    "GAO": {"songhai": 45, "peul": 15, "tamasheq": 20, "arabe": 8, "bambara": 7, "bozo": 5},
    "TBK": {"songhai": 40, "tamasheq": 25, "arabe": 15, "peul": 12, "bambara": 4, "bozo": 4},
    "KDL": {"tamasheq": 80, "arabe": 15, "songhai": 5},
    "MNK": {"tamasheq": 55, "peul": 25, "songhai": 12, "arabe": 8},
    "MPT": {"peul": 35, "dogon": 25, "bambara": 15, "bozo": 10, "songhai": 10, "tamasheq": 5},
}
# How a livelihood shifts the mix (herders are more often Peul, Tamasheq or Arab…).
ETHNIC_BIAS = {
    "herder": {"peul": 3, "tamasheq": 2, "arabe": 1.5, "songhai": 0.4, "bambara": 0.3,
               "dogon": 0.3, "bozo": 0.1},
    "farmer": {"songhai": 1.5, "bambara": 1.5, "dogon": 1.5, "peul": 0.6, "tamasheq": 0.3,
               "arabe": 0.2, "bozo": 0.5},
    "fisher": {"bozo": 6, "songhai": 1.5, "peul": 0.1, "tamasheq": 0.05, "arabe": 0.05,
               "bambara": 0.3, "dogon": 0.1},
    "trader": {"arabe": 2, "songhai": 1.5},
}  # fmt: skip
FRACTIONS = {
    "tamasheq": ("Kel Essouk", "Kel Tilemsi", "Kel Ansar", "Kel Inékar", "Kel Tidermène",
                 "Kel Tinfadimata", "Kel Egheref", "Kel Intachdayte"),
    "arabe": ("Oulad Sidi Bady", "Oulad Moulaye", "Oulad Sidi Amar"),
}  # fmt: skip

# --- conflict types and their stories -------------------------------------------------------

STAR_TYPES = ("BANDITISME", "TRAFIC", "GROUPE_ARME", "VBG")
CONFLICT_WEIGHTS = {
    "DEGATS_CHAMPETRES": 16,
    "FONCIER": 12,
    "EAU_PUITS": 8,
    "TRANSHUMANCE": 7,
    "PATURAGE": 7,
    "VOL_BETAIL": 5,
    "SUCCESSION": 7,
    "MATRIMONIAL": 7,
    "DETTE_COMMERCE": 6,
    "CHEFFERIE": 4,
    "INTERCOMMUNAUTAIRE": 4,
    "RELIGIEUX": 2,
    "POLITIQUE": 2,
    "BANDITISME": 4,
    "TRAFIC": 2,
    "GROUPE_ARME": 2,
    "VBG": 3,
}
REGION_CONFLICT_FACTOR = {
    "KDL": {"EAU_PUITS": 3, "DEGATS_CHAMPETRES": 0.2, "PATURAGE": 0.3, "FONCIER": 0.5,
            "TRAFIC": 3, "GROUPE_ARME": 2, "CHEFFERIE": 2},
    "MNK": {"EAU_PUITS": 2, "TRANSHUMANCE": 2, "VOL_BETAIL": 2, "BANDITISME": 2,
            "GROUPE_ARME": 2, "DEGATS_CHAMPETRES": 0.6},
    "TBK": {"PATURAGE": 2, "DEGATS_CHAMPETRES": 1.3},
    "MPT": {"PATURAGE": 2, "DEGATS_CHAMPETRES": 1.3, "TRANSHUMANCE": 1.5},
    "GAO": {"FONCIER": 1.3},
}  # fmt: skip
SCOPES = {
    "DEGATS_CHAMPETRES": (("INTRACOMMUNAUTAIRE", 2), ("INTERCOMMUNAUTAIRE", 3)),
    "FONCIER": (("INTRA_FAMILIAL", 1), ("INTRACOMMUNAUTAIRE", 3), ("INTERCOMMUNAUTAIRE", 1)),
    "EAU_PUITS": (("INTRACOMMUNAUTAIRE", 2), ("INTERCOMMUNAUTAIRE", 3)),
    "PATURAGE": (("INTERCOMMUNAUTAIRE", 3), ("INTRACOMMUNAUTAIRE", 1)),
    "TRANSHUMANCE": (("INTERCOMMUNAUTAIRE", 3), ("TRANSFRONTALIER", 1)),
    "VOL_BETAIL": (("INTRACOMMUNAUTAIRE", 2), ("INTERCOMMUNAUTAIRE", 2), ("TRANSFRONTALIER", 0.5)),
    "SUCCESSION": (("INTRA_FAMILIAL", 1),),
    "MATRIMONIAL": (("INTRA_FAMILIAL", 3), ("INTRACOMMUNAUTAIRE", 1)),
    "CHEFFERIE": (("INTRACOMMUNAUTAIRE", 3), ("COMMUNAUTE_ETAT", 1)),
    "INTERCOMMUNAUTAIRE": (("INTERCOMMUNAUTAIRE", 1),),
    "DETTE_COMMERCE": (("INTRACOMMUNAUTAIRE", 3), ("INTERCOMMUNAUTAIRE", 1)),
    "RELIGIEUX": (("INTRACOMMUNAUTAIRE", 1),),
    "POLITIQUE": (("COMMUNAUTE_ETAT", 2), ("INTRACOMMUNAUTAIRE", 1)),
    "BANDITISME": (("INTERCOMMUNAUTAIRE", 1), ("COMMUNAUTE_ETAT", 1), ("INTRACOMMUNAUTAIRE", 1)),
    "TRAFIC": (("TRANSFRONTALIER", 2), ("COMMUNAUTE_ETAT", 1)),
    "GROUPE_ARME": (("COMMUNAUTE_ETAT", 2), ("TRANSFRONTALIER", 1)),
    "VBG": (("INTRA_FAMILIAL", 3), ("INTRACOMMUNAUTAIRE", 1)),
}
# The chance that a mediable dispute came with a death or a serious injury (then referred).
HARM_CHANCE = {
    "INTERCOMMUNAUTAIRE": 0.35,
    "TRANSHUMANCE": 0.08,
    "VOL_BETAIL": 0.08,
    "EAU_PUITS": 0.06,
    "DEGATS_CHAMPETRES": 0.04,
    "PATURAGE": 0.04,
    "CHEFFERIE": 0.03,
}


@dataclass(frozen=True)
class Story:
    """A kind of dispute told in both languages. Placeholders: {place}, {a} (complainant),
    {b} (respondent), {village}, {deceased}, {heads}, {fcfa}, {ha}."""

    parties: tuple[str, str]  # profiles of the complainant and the respondent
    fr: tuple[str, str]  # title, narrative
    en: tuple[str, str]


STORIES: dict[str, tuple[Story, ...]] = {
    "DEGATS_CHAMPETRES": (
        Story(
            ("farmer", "herder"),
            (
                "Dégâts de troupeau dans un champ de riz à {place}",
                "Un troupeau de {heads} bovins appartenant à {b} est entré de nuit dans le champ "
                "de riz de {a}, près du fleuve, à {place}. Environ {ha} hectare(s) ont été "
                "piétinés juste avant la récolte. Les animaux ont été mis en fourrière par le "
                "chef de village et le propriétaire a été prévenu. {a} estime la perte à {fcfa} "
                "FCFA ; {b} conteste le montant.",
            ),
            (
                "Cattle damage to a rice field in {place}",
                "A herd of {heads} cattle belonging to {b} got into {a}'s rice field near the "
                "river in {place} at night. About {ha} hectare(s) were trampled just before the "
                "harvest. The village chief impounded the animals and told the owner. {a} puts "
                "the loss at {fcfa} FCFA; {b} disputes the amount.",
            ),
        ),
        Story(
            ("farmer", "herder"),
            (
                "Champ de mil mangé par des chèvres et des moutons à {place}",
                "Des chèvres et des moutons gardés par un jeune berger de la famille de {b} ont "
                "mangé une partie du mil de {a} à {place}. Le berger affirme que le champ a été "
                "ouvert sur le couloir de passage. Les deux familles se sont disputées au marché "
                "et les notables demandent une médiation avant que l'affaire ne s'envenime.",
            ),
            (
                "Millet field eaten by goats and sheep in {place}",
                "Goats and sheep kept by a young herder from {b}'s family ate part of {a}'s "
                "millet in {place}. The herder says the field was opened on the livestock "
                "corridor. The two families quarrelled at the market and the elders ask for a "
                "mediation before things get worse.",
            ),
        ),
        Story(
            ("women_assoc", "herder"),
            (
                "Jardin maraîcher des femmes saccagé par des bovins à {place}",
                "Les oignons et les tomates du périmètre maraîcher de {a} ont été détruits par "
                "les bovins de {b}. La clôture d'épineux avait été ouverte pendant la nuit. Les "
                "femmes demandent {fcfa} FCFA pour les semences et le travail perdus.",
            ),
            (
                "Women's vegetable garden trampled by cattle in {place}",
                "The onions and tomatoes in the vegetable plot of {a} were destroyed by {b}'s "
                "cattle. "
                "The thorn fence had been opened during the night. The women ask for {fcfa} FCFA "
                "for the lost seed and work.",
            ),
        ),
    ),
    "FONCIER": (
        Story(
            ("family", "family"),
            (
                "Limite de champs contestée entre deux familles à {place}",
                "{a} accuse {b} d'avoir déplacé les bornes d'un champ de riz hérité depuis trois "
                "générations à {place}. Chaque famille "
                "revendique environ {ha} hectare(s) de la même parcelle. Le chef de village a "
                "tenté une conciliation sans succès ; la commission foncière (COFO) pourrait "
                "être saisie.",
            ),
            (
                "Disputed field boundary between two families in {place}",
                "{a} accuses {b} of moving the markers of a rice field inherited over three "
                "generations in {place}. Each family claims about "
                "{ha} hectare(s) of the same plot. The village chief tried to conciliate without "
                "success; the land commission (COFO) could be asked to step in.",
            ),
        ),
        Story(
            ("farmer", "farmer"),
            (
                "Prêt de terre coutumier remis en cause à {place}",
                "{b} cultive depuis quinze ans une terre prêtée par le père de {a}, à {place}. "
                "Depuis le décès du père, {a} veut reprendre la terre pour ses enfants ; "
                "{b} refuse et affirme que la terre lui a été donnée. Rien n'est écrit : seuls "
                "les anciens "
                "du village peuvent témoigner.",
            ),
            (
                "Customary land loan challenged in {place}",
                "For fifteen years {b} has farmed land in {place} lent by {a}'s father. Since the "
                "father died, {a} wants the land back for the family; {b} refuses and says the "
                "land was given, not lent. Nothing is written down: only the village elders can "
                "bear witness.",
            ),
        ),
    ),
    "EAU_PUITS": (
        Story(
            ("herder_group", "herder_group"),
            (
                "Accès à un puits pastoral contesté près de {place}",
                "Les bergers de {b} ont empêché les troupeaux de {a} d'abreuver au puits "
                "pastoral de {place}, affirmant que le puits a été creusé par leurs ancêtres. "
                "En saison sèche, l'attente au puits dure toute la journée et le ton est monté "
                "entre les jeunes bergers. Les notables craignent des affrontements.",
            ),
            (
                "Disputed access to a pastoral well near {place}",
                "Herders from {b} stopped the herds of {a} from drinking at the pastoral well of "
                "{place}, saying their ancestors dug it. In the dry season the wait at the well "
                "lasts all day and tempers rose between the young herders. The elders fear a "
                "clash.",
            ),
        ),
        Story(
            ("women_assoc", "community"),
            (
                "Panne du forage et partage de l'eau à {place}",
                "Depuis la panne du forage de {place}, le seul point d'eau est le puits contrôlé "
                "par {b}. {a} dit qu'on refuse l'accès aux femmes le matin et que le comité de "
                "gestion ne rend pas compte des cotisations. Les deux quartiers "
                "s'accusent mutuellement.",
            ),
            (
                "Broken borehole and water sharing in {place}",
                "Since the {place} borehole broke down, the only water point is the well "
                "controlled by {b}. {a} says women are refused access in the mornings and that "
                "the water committee does not account for the fees. The two quarters "
                "blame each other.",
            ),
        ),
    ),
    "PATURAGE": (
        Story(
            ("community", "herder_group"),
            (
                "Exploitation de la bourgoutière de {place}",
                "Les éleveurs de {b} sont entrés dans la bourgoutière de {place} avant la date "
                "d'ouverture fixée par la convention locale. {a}, qui gère la bourgoutière, "
                "réclame la redevance coutumière et le départ des troupeaux. Les pêcheurs se "
                "plaignent aussi de filets endommagés.",
            ),
            (
                "Use of the bourgou pasture of {place}",
                "Herders from {b} entered the bourgou pasture of {place} before the opening date "
                "set by the local agreement. {a}, who manages the pasture, demands the customary "
                "fee and that the herds leave. Fishers also complain about damaged nets.",
            ),
        ),
        Story(
            ("village", "herder"),
            (
                "Pâturage de décrue disputé entre éleveurs et riziculteurs à {place}",
                "À la décrue, les troupeaux de {b} ont pâturé des parcelles de riz non encore "
                "récoltées à {place}. Les riziculteurs de {a} demandent que l'accès aux champs "
                "soit fixé après la récolte ; les éleveurs répondent que la date habituelle est "
                "dépassée.",
            ),
            (
                "Flood-recession grazing disputed between herders and rice growers in {place}",
                "As the floodwater fell, {b}'s herds grazed rice plots in {place} that had not "
                "been harvested yet. The rice growers of {a} want access to the fields to be set "
                "after the harvest; the herders answer that the usual date has passed.",
            ),
        ),
    ),
    "TRANSHUMANCE": (
        Story(
            ("village", "herder_group"),
            (
                "Couloir de passage des animaux obstrué à {place}",
                "Des champs ont été ouverts sur le couloir de transhumance qui traverse {place}. "
                "Les troupeaux de {b}, qui descendent vers le fleuve, ne peuvent plus passer "
                "sans entrer dans les cultures de {a}. Les cultivateurs refusent de déplacer "
                "leurs champs. Le balisage du couloir date d'avant la crise de 2012.",
            ),
            (
                "Livestock corridor blocked in {place}",
                "Fields have been opened on the transhumance corridor that crosses {place}. The "
                "herds of {b}, coming down to the river, can no longer pass without entering the "
                "crops of {a}. The farmers refuse to move their fields. The corridor was last "
                "marked before the 2012 crisis.",
            ),
        ),
        Story(
            ("village", "herder"),
            (
                "Arrivée précoce de transhumants à {place}",
                "Un grand troupeau de transhumants conduit par {b} est arrivé à {place} trois "
                "semaines avant la date convenue avec les villages. Les jeunes de {a} ont tenté "
                "de repousser les animaux et un berger a été légèrement blessé. Les chefs de "
                "fraction demandent une rencontre.",
            ),
            (
                "Early arrival of transhumant herds in {place}",
                "A large transhumant herd led by {b} reached {place} three weeks before the date "
                "agreed with the villages. Young men from {a} tried to drive the animals back "
                "and a herder was slightly hurt. The fraction chiefs ask for a meeting.",
            ),
        ),
    ),
    "VOL_BETAIL": (
        Story(
            ("herder", "man"),
            (
                "Vol de {heads} bovins à {place}",
                "{a} a déclaré la disparition de {heads} bovins pendant la nuit, au pâturage de "
                "{place}. Les traces mènent au campement de {b} ; deux bêtes portant sa marque "
                "auraient été vues au marché hebdomadaire. {b} dit les avoir achetées de bonne "
                "foi.",
            ),
            (
                "Theft of {heads} cattle in {place}",
                "{a} reported {heads} cattle missing overnight from the pasture at {place}. The "
                "tracks lead to {b}'s camp, and two animals bearing {a}'s brand were reportedly "
                "seen at the weekly market. {b} says he bought them in good faith.",
            ),
        ),
        Story(
            ("herder", "youth"),
            (
                "Chèvres et moutons disparus retrouvés au marché de {place}",
                "{heads} chèvres et moutons de {a} ont disparu. Une partie a été reconnue au "
                "marché de {place} chez un revendeur qui désigne {b} comme vendeur. Les familles "
                "préfèrent un règlement par les notables plutôt qu'une plainte à la gendarmerie.",
            ),
            (
                "Missing goats and sheep found at the {place} market",
                "{heads} of {a}'s goats and sheep went missing. Some were recognised at the "
                "{place} market with a dealer who names {b} as the seller. The families would "
                "rather have the elders settle it than file a complaint with the gendarmerie.",
            ),
        ),
    ),
    "SUCCESSION": (
        Story(
            ("woman", "elder"),
            (
                "Partage de l'héritage de feu {deceased} à {place}",
                "Après le décès de {deceased}, ses héritiers ne s'entendent pas sur le partage "
                "de la maison familiale de {place}, de deux champs et d'un troupeau. {a}, sa "
                "fille, reproche à son oncle {b} de vouloir écarter les femmes du partage. Le "
                "cadi a été approché pour établir les parts.",
            ),
            (
                "Sharing the estate of the late {deceased} in {place}",
                "Since {deceased} died, the heirs disagree on how to share the family house in "
                "{place}, two fields and a herd. {a}, his daughter, accuses her uncle {b} of "
                "trying to shut the women out of the estate. The cadi has been approached to set "
                "out the shares.",
            ),
        ),
        Story(
            ("man", "man"),
            (
                "Héritage d'un troupeau contesté entre frères à {place}",
                "Les fils de feu {deceased} se disputent les {heads} têtes de son troupeau, à "
                "{place}. {a} affirme que l'aîné, {b}, a vendu des animaux sans l'accord de la "
                "famille. Les oncles maternels proposent une médiation.",
            ),
            (
                "Brothers dispute an inherited herd in {place}",
                "The sons of the late {deceased} are quarrelling over the {heads} head of his "
                "herd in {place}. {a} says the eldest, {b}, sold animals without the family's "
                "consent. The maternal uncles offer to mediate.",
            ),
        ),
    ),
    "MATRIMONIAL": (
        Story(
            ("woman", "man"),
            (
                "Abandon de foyer et pension des enfants à {place}",
                "{a} déclare que son mari, {b}, a quitté le foyer depuis six mois pour "
                "l'orpaillage et ne contribue plus à l'entretien de leurs quatre enfants, à "
                "{place}. Elle demande une pension. La famille du mari dit que c'est elle qui a "
                "quitté le domicile conjugal.",
            ),
            (
                "Abandoned household and child support in {place}",
                "{a} says that her husband, {b}, left home six months ago for gold panning and "
                "no longer provides for their four children in {place}. She asks for support. "
                "The husband's family says she was the one who left the marital home.",
            ),
        ),
        Story(
            ("family", "family"),
            (
                "Dot non restituée après une séparation à {place}",
                "Après la séparation de leurs enfants, {a} réclame à {b} la restitution de la dot "
                "({fcfa} FCFA et deux vaches). Les deux familles "
                "sont liées par le cousinage à plaisanterie et les griots ont proposé de réunir "
                "les anciens à {place}.",
            ),
            (
                "Bride wealth not returned after a separation in {place}",
                "Since their children separated, {a} has been asking {b} to return the bride "
                "wealth ({fcfa} FCFA and two cows). The two families "
                "are joking kin and the griots have offered to gather the elders in {place}.",
            ),
        ),
    ),
    "CHEFFERIE": (
        Story(
            ("family", "family"),
            (
                "Succession à la chefferie du village de {village}",
                "Depuis le décès du chef de village de {village} (commune de {place}), deux "
                "lignées revendiquent la chefferie : celle de {a} et celle de {b}. Chacune a "
                "présenté son candidat au sous-préfet. Les partisans des deux camps ne prient "
                "plus ensemble à la mosquée.",
            ),
            (
                "Succession to the chieftaincy of {village} village",
                "Since the death of the chief of {village} (commune of {place}), two lineages "
                "claim the chieftaincy: that of {a} and that of {b}. Each has put forward its "
                "candidate to the sub-prefect. Supporters of the two sides no longer pray "
                "together at the mosque.",
            ),
        ),
        Story(
            ("community", "elder"),
            (
                "Désignation contestée d'un chef de fraction à {place}",
                "La désignation de {b} comme chef de fraction est contestée par {a}, qui dit que "
                "les familles n'ont pas été consultées. Le recensement et la distribution de "
                "l'aide alimentaire sont bloqués à {place}.",
            ),
            (
                "Contested appointment of a fraction chief in {place}",
                "The appointment of {b} as fraction chief is contested by {a}, who says the "
                "families were not consulted. The census and the food aid distribution are "
                "stalled in {place}.",
            ),
        ),
    ),
    "INTERCOMMUNAUTAIRE": (
        Story(
            ("village", "herder_group"),
            (
                "Tensions entre agriculteurs et éleveurs à {place} après une rixe",
                "Une bagarre au marché de {place} entre des jeunes de {a} et de {b} a fait "
                "plusieurs blessés. Depuis, des rumeurs circulent et chaque camp accuse l'autre "
                "de préparer des représailles. Le comité local de paix demande une rencontre "
                "des chefs des deux communautés.",
            ),
            (
                "Tension between farmers and herders in {place} after a brawl",
                "A fight at the {place} market between young men from {a} and from {b} left "
                "several people hurt. Rumours have spread since, and each side accuses the other "
                "of preparing reprisals. The local peace committee asks for a meeting of both "
                "communities' leaders.",
            ),
        ),
        Story(
            ("herder_group", "herder_group"),
            (
                "Différend entre deux fractions sur un site de campement près de {place}",
                "{a} reproche à {b} d'avoir installé ses tentes sur un site de campement "
                "réservé par la coutume à sa fraction, près de {place}. Des jeunes armés de "
                "bâtons se sont fait face deux fois. Les chefs de fraction souhaitent une "
                "médiation avant l'hivernage.",
            ),
            (
                "Two fractions dispute a campsite near {place}",
                "{a} accuses {b} of pitching its tents on a campsite that custom reserves for "
                "its fraction, near {place}. Young men armed with sticks have faced each other "
                "twice. The fraction chiefs want a mediation before the rainy season.",
            ),
        ),
    ),
    "DETTE_COMMERCE": (
        Story(
            ("trader", "trader"),
            (
                "Dette commerciale impayée au marché de {place}",
                "{a}, qui tient commerce à {place}, a livré à crédit des sacs de riz et de "
                "sucre à {b} pour une valeur de {fcfa} FCFA. Le remboursement promis après la "
                "foire n'a pas "
                "eu lieu. {b} invoque la fermeture de la route et les pertes dues à "
                "l'insécurité.",
            ),
            (
                "Unpaid trade debt at the {place} market",
                "{a}, a trader in {place}, sold {b} bags of rice and sugar on credit worth "
                "{fcfa} FCFA. The repayment promised after the fair never came. {b} blames the "
                "closed road and losses due to insecurity.",
            ),
        ),
        Story(
            ("trader", "farmer"),
            (
                "Remboursement d'un prêt pour une motopompe à {place}",
                "{b} a emprunté {fcfa} FCFA à {a} pour acheter une motopompe destinée au "
                "périmètre irrigué de {place}. La récolte ayant été mauvaise, il demande un "
                "délai ; {a} exige le gage convenu, deux bœufs de labour.",
            ),
            (
                "Repaying a loan for a motor pump in {place}",
                "{b} borrowed {fcfa} FCFA from {a} to buy a motor pump for the irrigated scheme "
                "of {place}. After a poor harvest, {b} asks for more time; {a} demands the agreed "
                "pledge, two plough oxen.",
            ),
        ),
    ),
    "RELIGIEUX": (
        Story(
            ("community", "community"),
            (
                "Désaccord sur la direction de la prière à {place}",
                "Deux groupes de fidèles de la mosquée de {place} s'opposent sur le choix de "
                "l'imam et sur le contenu des prêches. {a} reproche à {b} d'avoir changé les "
                "horaires sans consulter les notables. Les griots et les parents à plaisanterie "
                "ont été sollicités.",
            ),
            (
                "Disagreement over who leads prayer in {place}",
                "Two groups of worshippers at the {place} mosque disagree over the choice of "
                "imam and the content of sermons. {a} accuses {b} of changing the prayer times "
                "without consulting the elders. Griots and joking kin have been asked to help.",
            ),
        ),
        Story(
            ("community", "man"),
            (
                "Construction d'une nouvelle mosquée contestée à {place}",
                "Le projet de {b} de construire une seconde mosquée dans le quartier est refusé "
                "par {a} et les anciens, qui y voient une division de la communauté de {place}. "
                "Les travaux ont été arrêtés après des échanges vifs.",
            ),
            (
                "Contested building of a new mosque in {place}",
                "{b}'s plan to build a second mosque in the quarter is opposed by {a} and the "
                "elders, who see it as splitting the {place} community. Work stopped after "
                "heated words.",
            ),
        ),
    ),
    "POLITIQUE": (
        Story(
            ("youth_assoc", "official"),
            (
                "Contestation de la composition de l'autorité intérimaire de {place}",
                "{a} conteste la désignation des membres de l'autorité intérimaire de {place} "
                "et accuse {b} d'avoir écarté les représentants des fractions nomades. Des "
                "réunions ont été boycottées et des jeunes ont fermé la mairie pendant une "
                "journée.",
            ),
            (
                "Dispute over the make-up of the interim authority of {place}",
                "{a} contests the appointment of the members of the interim authority of "
                "{place} and accuses {b} of leaving out the representatives of the nomadic "
                "fractions. Meetings were boycotted and young people shut the town hall for a "
                "day.",
            ),
        ),
        Story(
            ("youth_assoc", "man"),
            (
                "Tensions après une réunion politique à {place}",
                "Une réunion de sensibilisation sur le référendum organisée par {b} a été "
                "interrompue par des jeunes proches de {a}. Des insultes ont été échangées et "
                "les chefs de quartier de {place} craignent que les tensions ne gagnent les "
                "familles.",
            ),
            (
                "Tension after a political meeting in {place}",
                "An awareness meeting on the referendum organised by {b} was broken up by young "
                "people close to {a}. Insults were traded and the quarter chiefs of {place} fear "
                "the tension will spread to the families.",
            ),
        ),
    ),
    "BANDITISME": (
        Story(
            ("trader", "unknown_armed"),
            (
                "Braquage d'un camion de marchandises sur l'axe de {place}",
                "Un camion transportant des marchandises de {a} a été arrêté par quatre hommes "
                "armés à moto sur l'axe de {place}. Les passagers ont été dépouillés de leur "
                "argent et de leurs téléphones. Le chauffeur a pu donner l'alerte au poste de la "
                "garde nationale le plus proche.",
            ),
            (
                "Goods lorry held up on the {place} road",
                "A lorry carrying goods for {a} was stopped by four armed men on motorbikes on "
                "the {place} road. The passengers were robbed of their money and phones. The "
                "driver managed to alert the nearest national guard post.",
            ),
        ),
        Story(
            ("trader", "unknown_armed"),
            (
                "Attaque à main armée contre une boutique à {place}",
                "Des individus armés ont fait irruption la nuit dans la boutique de {a} à "
                "{place} et ont emporté la caisse, environ {fcfa} FCFA, ainsi que des cartes de "
                "recharge. Le gardien a été frappé.",
            ),
            (
                "Armed robbery of a shop in {place}",
                "Armed men broke into {a}'s shop in {place} at night and took the cash box, "
                "about {fcfa} FCFA, and phone top-up cards. The watchman was beaten.",
            ),
        ),
    ),
    "TRAFIC": (
        Story(
            ("village", "unknown"),
            (
                "Passage de véhicules soupçonnés de trafic près de {place}",
                "Des habitants de {a} signalent le passage de nuit de plusieurs pick-up chargés "
                "et sans plaque sur une piste qui contourne {place}. Ils soupçonnent un trafic "
                "de carburant et de cigarettes et craignent des représailles s'ils parlent "
                "ouvertement.",
            ),
            (
                "Vehicles suspected of trafficking near {place}",
                "People from {a} report loaded pick-ups without number plates driving at night "
                "on a track that skirts {place}. They suspect fuel and cigarette trafficking and "
                "fear reprisals if they speak openly.",
            ),
        ),
        Story(
            ("youth_assoc", "unknown"),
            (
                "Colis de stupéfiants découverts et signalés à {place}",
                "Des jeunes de {a} ont découvert des colis de résine de cannabis cachés près "
                "d'un puits à {place}. Le relais communautaire a prévenu la police de proximité. "
                "Les jeunes craignent d'être pris pour des complices.",
            ),
            (
                "Drug parcels found and reported in {place}",
                "Young people from {a} found parcels of cannabis resin hidden near a well in "
                "{place}. The community relay told the community police. The young people fear "
                "being taken for accomplices.",
            ),
        ),
    ),
    "GROUPE_ARME": (
        Story(
            ("village", "unknown_armed"),
            (
                "Menaces d'hommes armés contre le village de {village}",
                "Des hommes armés non identifiés sont venus au village de {village} (commune de "
                "{place}) et ont exigé une « zakat » sur le bétail, en menaçant les habitants "
                "en cas de refus. Plusieurs familles ont quitté le village. Les faits relèvent "
                "des forces de sécurité ; le comité de paix suit la situation.",
            ),
            (
                "Armed men threaten the village of {village}",
                "Unidentified armed men came to the village of {village} (commune of {place}) "
                "and demanded a 'zakat' on livestock, threatening the villagers if they refused. "
                "Several families have left. This is a matter for the security forces; the peace "
                "committee is following it.",
            ),
        ),
        Story(
            ("herder", "unknown_armed"),
            (
                "Bétail enlevé par un groupe armé près de {place}",
                "Un groupe armé a emmené {heads} têtes de bétail appartenant à {a} et a averti "
                "les bergers de ne plus fréquenter les pâturages à l'est de {place}. Les "
                "éleveurs demandent la protection des forces de défense et de sécurité.",
            ),
            (
                "Livestock seized by an armed group near {place}",
                "An armed group took {heads} head of livestock belonging to {a} and warned the "
                "herders to stay away from the pastures east of {place}. The herders ask the "
                "defence and security forces for protection.",
            ),
        ),
    ),
    "VBG": (
        Story(
            ("woman", "man"),
            (
                "Violences conjugales signalées par l'association des femmes de {place}",
                "L'association des femmes de {place} signale que {a} a été battue à plusieurs "
                "reprises par son mari, {b}, et qu'elle porte des blessures. La victime a été "
                "accompagnée au centre de santé. La famille du mari souhaite un arrangement à "
                "l'amiable, ce qui n'est pas possible pour des violences.",
            ),
            (
                "Domestic violence reported by the women's association of {place}",
                "The women's association of {place} reports that {a} has been beaten several "
                "times by her husband, {b}, and is injured. She was taken to the health centre. "
                "The husband's family wants an amicable arrangement, which is not possible for "
                "violence.",
            ),
        ),
        Story(
            ("girl", "man"),
            (
                "Mariage forcé d'une mineure signalé à {place}",
                "Une jeune fille de 14 ans, {a}, aurait été promise en mariage par sa famille à "
                "{b}. Une enseignante de {place} a alerté le relais communautaire. La situation "
                "doit être portée à la connaissance des services sociaux et de la justice.",
            ),
            (
                "Forced marriage of a minor reported in {place}",
                "A 14-year-old girl, {a}, has reportedly been promised in marriage by her family "
                "to {b}. A teacher in {place} alerted the community relay. The social services "
                "and the justice system must be told.",
            ),
        ),
    ),
}


def _harm_sentence(lang: str, deaths: int, injured: int) -> str:
    if lang == "fr":
        parts = [f"{deaths} mort(s)"] * bool(deaths) + [f"{injured} blessé(s) grave(s)"] * bool(
            injured
        )
        return f" Les violences ont fait {' et '.join(parts)}."
    parts = [f"{deaths} dead"] * bool(deaths) + [f"{injured} seriously injured"] * bool(injured)
    return f" The violence left {' and '.join(parts)}."


DAMAGE_TEXT = {
    "DEGATS_CHAMPETRES": (
        "Récolte détruite sur environ {ha} ha",
        "Crop destroyed on about {ha} ha",
    ),
    "VOL_BETAIL": ("{heads} têtes de bétail volées", "{heads} head of livestock stolen"),
    "BANDITISME": ("Marchandises, argent et téléphones volés", "Goods, cash and phones stolen"),
    "GROUPE_ARME": ("Bétail enlevé, familles déplacées", "Livestock seized, families displaced"),
    "PATURAGE": ("Bourgou brouté avant l'ouverture", "Bourgou grazed before the opening date"),
}

# --- the agreements -------------------------------------------------------------------------

# (description, who is bound: "R" respondent, "C" complainant, None both, days to deadline)
TERMS: dict[str, tuple[tuple[str, str | None, int | None], ...]] = {
    "DEGATS_CHAMPETRES": (
        ("Verser à {a} un dédommagement de {fcfa} FCFA.", "R", 30),
        ("Faire garder les animaux par un berger adulte jusqu'à la fin des récoltes.", "R", 90),
        ("Ne plus faire pâturer dans les champs avant la date fixée par le chef.", "R", None),
    ),
    "FONCIER": (
        ("Bornage de la parcelle en présence de la COFO et des deux familles.", None, 30),
        ("{b} libère la partie de la parcelle reconnue à {a} après la récolte.", "R", 90),
        ("Les deux familles renoncent à toute autre réclamation sur la parcelle.", None, None),
    ),
    "EAU_PUITS": (
        ("Tour d'eau : les troupeaux de {a} le matin, ceux de {b} l'après-midi.", None, None),
        ("Chaque partie verse {fcfa} FCFA pour l'entretien du puits.", None, 30),
        ("Un comité de gestion mixte est désigné avant la fin du mois.", None, 30),
    ),
    "PATURAGE": (
        ("{b} verse la redevance coutumière de {fcfa} FCFA.", "R", 30),
        ("Les troupeaux entrent dans la bourgoutière à la date convenue.", "R", None),
        ("Pêcheurs et éleveurs se partagent les chenaux selon le plan convenu.", None, None),
    ),
    "TRANSHUMANCE": (
        ("Baliser à nouveau le couloir avec la commune et les chefs de fraction.", None, 60),
        ("Les champs ouverts sur le couloir sont déplacés après la récolte.", "C", 90),
        ("Les transhumants respectent les dates de descente fixées par le comité.", "R", None),
    ),
    "VOL_BETAIL": (
        ("Restituer {heads} tête(s) de bétail à {a}.", "R", 15),
        ("Verser {fcfa} FCFA pour les animaux qui ne peuvent être restitués.", "R", 45),
    ),
    "SUCCESSION": (
        ("Partager l'héritage selon les parts établies par le cadi, femmes comprises.", None, 60),
        ("La maison familiale reste indivise ; {b} y loge les veuves et les enfants.", "R", None),
    ),
    "MATRIMONIAL": (
        ("{b} verse une pension de {fcfa} FCFA par mois pour les enfants.", "R", 30),
        ("Les enfants restent auprès de leur mère ; le père les voit librement.", None, None),
        ("Restituer la dot en deux versements.", "R", 60),
    ),
    "CHEFFERIE": (
        ("Reconnaître le chef désigné par le conseil des familles ; l'autre candidat devient "
         "premier conseiller.", None, 30),
        ("Présenter ensemble le chef au sous-préfet.", None, 60),
    ),
    "INTERCOMMUNAUTAIRE": (
        ("Lire un pacte de non-agression à la mosquée devant les deux communautés.", None, 15),
        ("Un comité mixte de veille de six membres, dont deux femmes, se réunit chaque mois.",
         None, 30),
        ("Organiser un match de football de réconciliation entre les jeunes.", None, 60),
    ),
    "DETTE_COMMERCE": (
        ("{b} rembourse {fcfa} FCFA en trois versements.", "R", 90),
        ("Le gage reste chez {b} tant que les versements sont faits.", "R", None),
    ),
    "RELIGIEUX": (
        ("L'imam est désigné par le conseil des anciens ; les prêches suivent un calendrier.",
         None, 30),
        ("Les travaux de la nouvelle mosquée attendent l'avis des notables.", "R", None),
    ),
    "POLITIQUE": (
        ("Ajouter des représentants des fractions nomades au conseil consultatif.", None, 60),
        ("Les deux camps s'engagent à ne plus bloquer la mairie.", None, None),
    ),
}  # fmt: skip

MINUTES = {
    "fr": {
        "continue": (
            "Les parties ont été entendues séparément puis ensemble. Elles acceptent de revenir "
            "après avoir consulté leurs familles.",
            "Première écoute : chaque partie a donné sa version des faits. Les médiateurs vont "
            "constater les dégâts sur le terrain.",
            "Séance écourtée : le défendeur était absent. Un délai d'une semaine est accordé.",
        ),
        "failure": (
            "Pas d'entente : le défendeur refuse la proposition des médiateurs.",
            "Les positions restent éloignées sur le montant du dédommagement ; échec de la "
            "conciliation à ce niveau.",
            "Le plaignant refuse la médiation de la famille et demande que l'affaire monte.",
        ),
        "agreement": (
            "Après de longues discussions, les parties ont accepté la proposition des "
            "médiateurs. L'accord a été lu à haute voix devant les témoins.",
            "Accord trouvé grâce aux parents à plaisanterie ; les parties se sont serré la main "
            "et ont récité la Fatiha.",
            "Les parties acceptent les termes proposés ; un procès-verbal de conciliation est "
            "établi.",
        ),
        "referral": (
            "Les faits dépassent la compétence des médiateurs : les parties sont orientées vers "
            "l'autorité compétente.",
            "Constat de non-conciliation ; un procès-verbal est établi pour transmission.",
        ),
    },
    "en": {
        "continue": (
            "The parties were heard separately, then together. They agree to come back after "
            "consulting their families.",
            "First hearing: each party gave its account. The mediators will go and see the "
            "damage on the ground.",
        ),
        "failure": (
            "No agreement: the respondent turned down the mediators' proposal.",
            "The sides remain far apart on the amount of compensation; conciliation failed at "
            "this level.",
        ),
        "agreement": (
            "After long talks the parties accepted the mediators' proposal. The agreement was "
            "read aloud before the witnesses.",
            "The parties accept the proposed terms; a conciliation record was drawn up.",
        ),
        "referral": (
            "The facts are beyond the mediators' remit: the parties are sent to the proper "
            "authority.",
        ),
    },
}
PRIVATE_NOTES = (
    "Craint des représailles s'il maintient sa plainte.",
    "Semble prêt à accepter un dédommagement en nature.",
    "Subit des pressions de sa famille pour retirer la plainte.",
    "Souhaite que l'affaire reste discrète vis-à-vis du chef de village.",
    "Accepterait un étalement du paiement sur la saison.",
)
ESCALATION_REASONS = {
    1: "Échec du règlement direct : la famille, les notables et les griots sont saisis.",
    2: "Échec au niveau des notables : le chef et le cadi sont saisis.",
    3: "Échec devant la chefferie : la mairie et la commission compétente sont saisies.",
    4: "Échec au niveau communal : le sous-préfet est saisi.",
}
SUSPEND_REASONS = (
    "Insécurité sur l'axe : les médiateurs ne peuvent plus se rendre sur place.",
    "Présence signalée d'hommes armés dans la zone ; séances suspendues.",
    "Le défendeur est parti en transhumance avec ses troupeaux ; reprise à son retour.",
    "Route coupée pendant l'hivernage ; le village n'est plus accessible.",
)
RESUME_REASON = "La situation sécuritaire permet de reprendre les séances."
DROP_REASONS = (
    ("Plainte retirée : les familles se sont arrangées entre elles.", "RETRAIT_PLAINTE"),
    ("Le plaignant ne s'est jamais présenté malgré trois convocations.", "CLASSE_SANS_SUITE"),
    ("Doublon d'un dossier déjà enregistré.", "CLASSE_SANS_SUITE"),
)
WITHDRAW_REASONS = (
    ("Le plaignant retire sa plainte après l'intervention des anciens.", "RETRAIT_PLAINTE"),
    ("Parties injoignables depuis trois mois.", "CLASSE_SANS_SUITE"),
)
FAILED_REASONS = (
    "Échec de toutes les tentatives de médiation ; les parties refusent de poursuivre.",
    "Le défendeur refuse de comparaître ; constat d'échec.",
)
RESOLVED_REASON = "Accord respecté aux visites de suivi."
DIRECT_CLOSE_REASON = "Accord exécuté séance tenante ; pas de suivi nécessaire."
FOLLOW_UP_NOTES = {
    Compliance.RESPECTED.value: (
        "Accord respecté, pas d'incident depuis.",
        "Le dédommagement a été versé devant le chef de village.",
        "Les deux parties confirment que les engagements sont tenus.",
    ),
    Compliance.PARTIAL.value: (
        "La moitié de la somme versée ; le reste promis après la récolte.",
        "Engagements tenus en partie ; le comité de suivi reste vigilant.",
    ),
    Compliance.NOT_RESPECTED.value: (
        "Les animaux sont revenus dans les champs et rien n'a été payé.",
        "Le défendeur conteste désormais l'accord ; nouvel incident signalé.",
    ),
}
CRIME_REFERRALS = {
    "BANDITISME": (
        ("GENDARMERIE", 3),
        ("GARDE_NATIONALE", 1),
        ("POLICE", 1),
    ),
    "TRAFIC": (("GENDARMERIE", 2), ("PROCUREUR", 1), ("GARDE_NATIONALE", 1)),
    "GROUPE_ARME": (("GENDARMERIE", 2), ("GARDE_NATIONALE", 2), ("PROCUREUR", 1)),
    "VBG": (("GENDARMERIE", 2), ("POLICE", 1), ("PROCUREUR", 1)),
    "HARM": (("GENDARMERIE", 3), ("JPCE", 1), ("PROCUREUR", 1)),
}
CRIME_REASONS = {
    "BANDITISME": "Vol à main armée : infraction pénale, renvoi obligatoire aux forces de "
    "sécurité.",
    "TRAFIC": "Trafic : relève des forces de sécurité et du procureur, pas de la médiation.",
    "GROUPE_ARME": "Acte d'un groupe armé : relève des forces de défense et de sécurité.",
    "VBG": "Violence basée sur le genre : ne se médie pas ; la victime est orientée vers la "
    "justice et le centre de santé.",
    "HARM": "Le conflit a fait des morts ou des blessés graves : renvoi obligatoire à la "
    "justice. Les aspects civils pourront être traités à part.",
}
CRIME_FEEDBACK = {
    "settled": (
        "Les auteurs ont été interpellés et présentés au procureur ; la victime a été indemnisée.",
        "Jugement rendu ; les biens ont été en partie restitués.",
    ),
    "not_settled": (
        "Enquête ouverte ; les auteurs n'ont pas été identifiés à ce jour.",
        "Dossier classé par le parquet faute de preuves.",
    ),
}
MEDIATION_FEEDBACK = {
    "settled": (
        "Le tribunal a statué ; les parties ont accepté la décision.",
        "Le sous-préfet a obtenu un accord écrit entre les parties.",
    ),
    "not_settled": (
        "L'affaire reste pendante ; les parties ne se présentent plus aux audiences.",
        "La décision n'a pas été acceptée ; une partie a fait appel.",
    ),
    "sent_back": (
        "Le juge de paix renvoie l'affaire devant le cadi et le chef de village pour une "
        "conciliation selon la coutume.",
        "Le tribunal renvoie les parties devant la chefferie : le litige relève d'un "
        "arrangement coutumier.",
    ),
}

# The paths a mediable case can take, with their weights; each ends in a known state.
SCENARIO_WEIGHTS = {
    "reported": 5,
    "dropped_early": 2,
    "registered": 6,
    "suspended_registered": 1.5,
    "in_mediation": 10,
    "suspended_mediation": 1.5,
    "resumed": 1,
    "withdrawn": 3,
    "agreement_pending": 7,
    "follow_up": 8,
    "resolved": 24,
    "resolved_direct": 2,
    "breach": 4,
    "failed_closed": 7,
    "failed_referred": 10,
}
# One mediable case of each of these guarantees that every state appears (from 10 cases).
COVERAGE_SCENARIOS = (
    "reported",  # SIGNALE
    "registered",  # ENREGISTRE
    "in_mediation",  # EN_MEDIATION
    "agreement_pending",  # ACCORD
    "follow_up",  # SUIVI
    "resolved",  # CLOTURE_RESOLU
    "referred_pending",  # RENVOYE
    "failed_closed",  # CLOTURE_NON_RESOLU
    "withdrawn",  # CLASSE
    "suspended_registered",  # SUSPENDU
)

# --- the plan -------------------------------------------------------------------------------


CRIME_OVERRIDE_REASON = (
    "Crime grave : la sécurité des victimes et des témoins impose le renvoi sans attendre."
)


def _consent_for_referral(case, info: dict, worker) -> str | None:
    """Before a referral to the authorities: the parties not asked yet are asked, and agree,
    when they seek the judge; a crime goes under an emergency override (its reason returned)."""
    if not case_services.needs_consent(info["target"]):
        return None
    missing = case_services.parties_without_consent(case)
    if not missing:
        return None
    if info.get("crime"):
        return CRIME_OVERRIDE_REASON
    for party in missing:
        case_services.record_consent(party, True, worker)
    return None


@dataclass(frozen=True)
class PartyPlan:
    role: str
    name: str
    kind: str
    sex: str
    age_band: str
    livelihood: str | None
    community: str | None
    consent_to_share: bool
    mention_fr: str = ""  # how a narrative names the party ("la fraction Kel Essouk")
    mention_en: str = ""


@dataclass(frozen=True)
class Step:
    """One action on a case. ``on`` is the date of the record it creates, if any."""

    kind: str
    on: date | None = None
    data: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class CasePlan:
    number: int
    scenario: str
    place: DemoPlace
    event_date: date
    reported_on: date
    channel: str
    conflict_type: str
    scope: str
    title: str
    narrative: str
    narrative_lang: str
    translation: str | None
    persons_affected: int | None
    deaths: int
    injuries_serious: int
    injuries_minor: int
    damage_text: str | None
    damage_fcfa: int | None
    livestock_heads: int | None
    confidentiality: str
    parties: tuple[PartyPlan, ...]
    steps: tuple[Step, ...]

    @property
    def expected_status(self) -> CaseStatus:
        """The state the case ends in once its steps are applied."""
        status = S.SIGNALE
        before_suspension = None
        for step in self.steps:
            if step.kind == "register":
                status = S.ENREGISTRE
            elif step.kind == "mediate":
                status = S.EN_MEDIATION
            elif step.kind == "agreement":
                status = S.ACCORD
            elif step.kind == "visit":
                breach = step.data["compliance"] == Compliance.NOT_RESPECTED.value
                status = S.CLOTURE_NON_RESOLU if breach else S.SUIVI
            elif step.kind == "refer":
                status = S.RENVOYE
            elif step.kind == "feedback":
                status = {
                    case_services.FeedbackResult.SENT_BACK: S.EN_MEDIATION,
                    case_services.FeedbackResult.SETTLED: S.CLOTURE_RESOLU,
                    case_services.FeedbackResult.NOT_SETTLED: S.CLOTURE_NON_RESOLU,
                }[step.data["result"]]
            elif step.kind == "suspend":
                before_suspension, status = status, S.SUSPENDU
            elif step.kind == "resume":
                status = before_suspension
            elif step.kind in ("close", "drop"):
                status = CaseStatus(step.data["status"])
        return status

    def dates(self) -> list[date]:
        return [self.event_date, self.reported_on] + [s.on for s in self.steps if s.on]


@dataclass(frozen=True)
class DemoPlan:
    today: date
    cases: tuple[CasePlan, ...]
    policing: PolicingPlan | None = None


def plan_demo(
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    *,
    follow_up_days: Sequence[int] = DEFAULT_FOLLOW_UP_DAYS,
    places: Sequence[DemoPlace] = PLACES,
) -> DemoPlan:
    """The demonstration caseload and the community policing around it: a pure function of
    its arguments (no database)."""
    today = today or utcnow().date()
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    planner = _Planner(rng, today, tuple(sorted(follow_up_days)), places)
    case_plans = tuple(planner.plan(cases))
    policing_plan = None
    if case_plans:
        # A stream of its own: the cases of a seed do not depend on the policing data.
        policing_rng = random.Random(f"{seed}-policing")  # noqa: S311
        policing_plan = _PolicingPlanner(policing_rng, today, places, case_plans).build()
    return DemoPlan(today, case_plans, policing_plan)


def _weighted(rng: random.Random, pairs):
    pairs = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
    values = [value for value, _weight in pairs]
    weights = [weight for _value, weight in pairs]
    return rng.choices(values, weights=weights, k=1)[0]


_CONTRACTIONS = (
    (re.compile(r"\bde le "), "du "),
    (re.compile(r"\bde les "), "des "),
    (re.compile(r"\bà le "), "au "),
    (re.compile(r"\bà les "), "aux "),
    (re.compile(r"\bde des "), "de "),
    (re.compile(r"\b([Dd])e (?=[AEIOUÂÉÈÊÎÔaeiouâéèêîô])"), r"\1'"),
)
_SENTENCE_START = re.compile(r"(^|[.!?]\s+)([a-zàâéèêîôç])")


def _french(text: str) -> str:
    """French articles and elisions after names are put in: "de le village" becomes "du
    village", "commune de Ansongo" becomes "commune d'Ansongo"."""
    for pattern, replacement in _CONTRACTIONS:
        text = pattern.sub(replacement, text)
    return text


def _sentences(text: str) -> str:
    """A capital at the start of each sentence (mentions such as "la fraction…" start
    with a small letter)."""
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), text)


def _fcfa(amount: int, lang: str) -> str:
    text = f"{amount:,}"
    return text.replace(",", " ") if lang == "fr" else text


def _round(amount: float, step: int = 5_000) -> int:
    return max(step, int(round(amount / step)) * step)


class _Planner:
    def __init__(self, rng, today, follow_up_days, places):
        self.rng = rng
        self.today = today
        self.fu_days = follow_up_days or DEFAULT_FOLLOW_UP_DAYS
        self.places = tuple(places)

    # --- the whole plan

    def plan(self, count: int) -> list[CasePlan]:
        rng = self.rng
        forced: dict[int, str] = {}
        if count >= len(COVERAGE_SCENARIOS):
            positions = rng.sample(range(count), len(COVERAGE_SCENARIOS))
            forced = dict(zip(positions, COVERAGE_SCENARIOS, strict=True))
        return [self.case(number, forced.get(number)) for number in range(count)]

    # --- one case

    def case(self, number: int, forced: str | None) -> CasePlan:
        rng = self.rng
        place = _weighted(rng, [(p, p.weight) for p in self.places])
        factors = REGION_CONFLICT_FACTOR.get(place.region, {})
        weights = {t: w * factors.get(t, 1) for t, w in CONFLICT_WEIGHTS.items()}
        if forced:
            weights = {t: w for t, w in weights.items() if t not in STAR_TYPES}
        conflict_type = _weighted(rng, weights)
        star = conflict_type in STAR_TYPES
        deaths = injuries_serious = injuries_minor = 0
        if not forced and not star and rng.random() < HARM_CHANCE.get(conflict_type, 0):
            deaths = rng.choice((0, 0, 1, 1, 2, 3))
            injuries_serious = rng.randint(0 if deaths else 1, 4)
            injuries_minor = rng.randint(0, 8)
        elif conflict_type in ("INTERCOMMUNAUTAIRE", "TRANSHUMANCE") or (
            conflict_type == "BANDITISME" and rng.random() < 0.5
        ):
            injuries_minor = rng.randint(0, 4)
        if conflict_type == "BANDITISME" and rng.random() < 0.2:
            injuries_serious = 1
        harm = deaths > 0 or injuries_serious > 0

        story = rng.choice(STORIES[conflict_type])
        lang = rng.choice(("fr", "en"))
        village = rng.choice(VILLAGES[place.region])
        values = self.values(conflict_type)
        deceased = ""
        names: tuple[str | None, str | None] = (None, None)
        kin_ethnic = None
        if conflict_type == "SUCCESSION":
            kin_ethnic = self.ethnic(place.region)
            deceased, *kin = self.kin(kin_ethnic, daughter=story.parties[0] == "woman")
            names = (kin[0], kin[1])
        complainant = self.party(
            story.parties[0], PartyRole.COMPLAINANT.value, place, village,
            ethnic=kin_ethnic, name=names[0],
        )  # fmt: skip
        respondent = self.party(
            story.parties[1], PartyRole.RESPONDENT.value, place, village,
            ethnic=kin_ethnic, name=names[1],
        )  # fmt: skip
        parties = [complainant, respondent]
        if story.parties[1] in ("unknown", "unknown_armed") and rng.random() < 0.5:
            parties = [complainant]  # the authors are unknown: only the victim is recorded
        elif rng.random() < 0.2 and not star:
            parties.append(self.party("third", PartyRole.THIRD.value, place, village))
        texts = {}
        for language in ("fr", "en"):
            fmt = dict(
                place=place.name,
                village=village,
                a=getattr(complainant, f"mention_{language}"),
                b=getattr(respondent, f"mention_{language}"),
                deceased=deceased,
                heads=values["heads"],
                fcfa=_fcfa(values["fcfa"], language),
                ha=values["ha"].replace(".", ",") if language == "fr" else values["ha"],
            )
            title, narrative = (part.format(**fmt) for part in getattr(story, language))
            if harm and not star:
                narrative += _harm_sentence(language, deaths, injuries_serious)
            if language == "fr":
                title, narrative = _french(title), _french(narrative)
            texts[language] = (_sentences(title), _sentences(narrative))
        other = "en" if lang == "fr" else "fr"
        translation = texts[other][1] if rng.random() < 1 / 3 else None
        damage = DAMAGE_TEXT.get(conflict_type)
        damage_text = None
        if damage:
            ha = values["ha"].replace(".", ",") if lang == "fr" else values["ha"]
            damage_text = damage[0 if lang == "fr" else 1].format(ha=ha, heads=values["heads"])

        scenario = forced or _weighted(rng, SCENARIO_WEIGHTS)
        if star or harm:
            scenario = "crime_referral"  # crimes, deaths and serious injuries are referred
        ctx = _CaseContext(conflict_type, place, parties, lang, harm, values, village)
        delay = rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4, 5, 6, 7, 9, 12, 15, 20))
        steps, reported_on = self.timeline(scenario, ctx, delay)
        event_date = reported_on - timedelta(days=delay)

        collective = any(p.kind != PartyKind.INDIVIDUAL.value for p in parties)
        persons = rng.randint(20, 400) if collective else rng.randint(1, 12)
        return CasePlan(
            number=number,
            scenario=scenario,
            place=place,
            event_date=event_date,
            reported_on=reported_on,
            channel=self.channel(conflict_type),
            conflict_type=conflict_type,
            scope=_weighted(rng, SCOPES[conflict_type]),
            title=texts[lang][0],
            narrative=texts[lang][1],
            narrative_lang=lang,
            translation=translation,
            persons_affected=persons if rng.random() < 0.85 else None,
            deaths=deaths,
            injuries_serious=injuries_serious,
            injuries_minor=injuries_minor,
            damage_text=damage_text,
            damage_fcfa=values["damage"],
            livestock_heads=values["livestock"],
            confidentiality=self.confidentiality(conflict_type, harm),
            parties=tuple(parties),
            steps=tuple(steps),
        )

    def values(self, conflict_type: str) -> dict:
        rng = self.rng
        heads = rng.choice((2, 3, 4, 5, 6, 8, 12, 15, 25, 30, 40))
        fcfa = _round(rng.uniform(40_000, 600_000))
        damage = livestock = None
        if conflict_type == "DEGATS_CHAMPETRES":
            heads = rng.randint(8, 60)
            damage, livestock = fcfa, heads
        elif conflict_type == "VOL_BETAIL":
            heads = rng.randint(2, 15)
            damage, livestock = _round(heads * rng.uniform(60_000, 250_000)), heads
        elif conflict_type in ("TRANSHUMANCE", "PATURAGE", "EAU_PUITS"):
            livestock = rng.randint(50, 600)
        elif conflict_type == "BANDITISME":
            fcfa = _round(rng.uniform(150_000, 3_000_000), 25_000)
            damage = fcfa
        elif conflict_type == "GROUPE_ARME":
            heads = rng.randint(10, 120)
            livestock = heads
        elif conflict_type == "DETTE_COMMERCE":
            fcfa = _round(rng.uniform(100_000, 2_500_000), 25_000)
        elif conflict_type == "MATRIMONIAL":
            fcfa = _round(rng.uniform(50_000, 400_000), 25_000)
        return {
            "heads": heads,
            "fcfa": fcfa,
            "ha": rng.choice(("0.5", "1", "1.5", "2", "3", "4")),
            "damage": damage,
            "livestock": livestock,
        }

    def channel(self, conflict_type: str) -> str:
        if conflict_type in STAR_TYPES:
            pairs = {"ALERTE": 2, "FDS": 2, "POLICE_PROXIMITE": 2, "RELAIS_COMMUNAUTAIRE": 2}
        else:
            pairs = {
                "PLAINTE_DIRECTE": 4,
                "CHEF_VILLAGE": 3,
                "RELAIS_COMMUNAUTAIRE": 2,
                "POLICE_PROXIMITE": 1,
                "AUTRE": 0.3,
            }
        return _weighted(self.rng, pairs)

    def confidentiality(self, conflict_type: str, harm: bool) -> str:
        rng = self.rng
        secret, restricted = Confidentiality.SECRET.value, Confidentiality.RESTRICTED.value
        if conflict_type in ("GROUPE_ARME", "VBG"):
            return secret if rng.random() < 0.7 else restricted
        if conflict_type in ("TRAFIC", "BANDITISME") or harm:
            return restricted if rng.random() < 0.7 else secret
        if conflict_type in ("CHEFFERIE", "POLITIQUE") and rng.random() < 0.3:
            return restricted
        return restricted if rng.random() < 0.05 else Confidentiality.STANDARD.value

    # --- people

    def ethnic(self, region: str, bias: str | None = None) -> str:
        weights = dict(REGION_ETHNIC[region])
        for group, factor in ETHNIC_BIAS.get(bias, {}).items():
            if group in weights:
                weights[group] *= factor
        return _weighted(self.rng, weights)

    def person(self, ethnic: str, sex: str) -> tuple[str, str]:
        """A full name and a surname-like family name."""
        rng = self.rng
        given = rng.choice(GIVEN[ethnic][sex])
        if ethnic == "tamasheq":
            father = rng.choice(GIVEN[ethnic]["M"])
            link = "Ag" if sex == "M" else "Walet"
            return f"{given} {link} {father}", f"Ag {father}"
        if ethnic == "arabe":
            father = rng.choice(GIVEN[ethnic]["M"])
            link = "Ould" if sex == "M" else "Mint"
            return f"{given} {link} {father}", f"Ould {father}"
        surname = rng.choice(SURNAMES[ethnic])
        return f"{given} {surname}", surname

    def party(
        self,
        profile: str,
        role: str,
        place: DemoPlace,
        village: str,
        *,
        ethnic: str | None = None,
        name: str | None = None,
    ) -> PartyPlan:
        """A party of a profile (farmer, herder_group, women_assoc…), named as people of the
        region are, with how narratives mention it in French and in English."""
        rng = self.rng
        region = place.region
        kind = PartyKind.INDIVIDUAL.value
        sex = Sex.MALE.value
        age = _weighted(
            rng,
            {AgeBand.ADULT.value: 6, AgeBand.YOUTH.value: 3, AgeBand.ELDER.value: 2,
             AgeBand.UNKNOWN.value: 1},
        )  # fmt: skip
        livelihood = None
        bias = {"herder": "herder", "herder_group": "herder", "farmer": "farmer",
                "village": "farmer", "trader": "trader"}.get(profile)  # fmt: skip
        ethnic = ethnic or self.ethnic(region, bias)
        label, adjective, english = ETHNIC_LABEL[ethnic]
        community = label if rng.random() < 0.6 else None
        mention = None
        if profile in ("farmer", "herder", "man", "trader", "official", "youth", "elder"):
            livelihood = {
                "farmer": rng.choice(("AGRICULTEUR", "AGRICULTEUR", "AGRO_PASTEUR")),
                "herder": rng.choice(("ELEVEUR", "ELEVEUR", "AGRO_PASTEUR")),
                "trader": "COMMERCANT",
                "official": "FONCTIONNAIRE",
                "youth": rng.choice(("SANS_EMPLOI", "ELEVEUR", "ARTISAN")),
            }.get(profile) or rng.choice(
                ("AGRICULTEUR", "ELEVEUR", "COMMERCANT", "ARTISAN", "PECHEUR", "AUTRE")
            )
            if profile in ("farmer", "trader") and rng.random() < 0.25:
                sex = Sex.FEMALE.value
            if profile == "youth" or (profile == "herder" and rng.random() < 0.4):
                age = AgeBand.YOUTH.value
            if profile == "elder":
                age = AgeBand.ELDER.value
            full = self.person(ethnic, sex)[0]
        elif profile in ("woman", "girl"):
            sex = Sex.FEMALE.value
            full = self.person(ethnic, sex)[0]
            livelihood = rng.choice(("AGRICULTEUR", "COMMERCANT", "ARTISAN", "AUTRE", None))
            if profile == "girl":
                age, livelihood = AgeBand.UNDER_18.value, None
        elif profile == "family":
            kind, sex = PartyKind.FAMILY.value, Sex.UNKNOWN.value
            elder, surname = self.person(ethnic, "M")
            if ethnic in ("tamasheq", "arabe"):
                full = f"Famille de feu {elder}"
                mention = (f"la famille de feu {elder}", f"the family of the late {elder}")
            else:
                full = f"Famille {surname} de {village}"
                mention = (
                    f"la famille {surname} de {village}",
                    f"the {surname} family of {village}",
                )
            livelihood = rng.choice(("AGRICULTEUR", "AGRO_PASTEUR", "COMMERCANT"))
        elif profile == "herder_group":
            sex, livelihood, community = Sex.UNKNOWN.value, "ELEVEUR", label
            kind = PartyKind.FRACTION.value
            if ethnic in FRACTIONS:
                fraction = rng.choice(FRACTIONS[ethnic])
                if ethnic == "tamasheq":
                    full = f"Fraction {fraction}"
                    mention = (f"la fraction {fraction}", f"the {fraction} fraction")
                else:
                    full = f"Fraction arabe {fraction}"
                    mention = (f"la fraction arabe {fraction}", f"the Arab fraction {fraction}")
            elif ethnic == "peul":
                camp = rng.choice(VILLAGES[region])
                full = f"Campement peul de {camp}"
                mention = (f"le campement peul de {camp}", f"the Peul camp of {camp}")
            else:
                kind = PartyKind.COMMUNITY.value
                full = f"Éleveurs {adjective}s de {place.name}"
                mention = (
                    f"les éleveurs {adjective}s de {place.name}",
                    f"the {english} herders of {place.name}",
                )
        elif profile == "village":
            kind, sex, livelihood = PartyKind.VILLAGE.value, Sex.UNKNOWN.value, "AGRICULTEUR"
            full = f"Village de {village}"
            mention = (f"le village de {village}", f"the village of {village}")
        elif profile == "community":
            kind, sex, community = PartyKind.COMMUNITY.value, Sex.UNKNOWN.value, label
            full = f"Communauté {adjective} de {place.name}"
            mention = (
                f"la communauté {adjective} de {place.name}",
                f"the {english} community of {place.name}",
            )
        elif profile == "women_assoc":
            kind, sex, livelihood = PartyKind.ASSOCIATION.value, Sex.FEMALE.value, "AGRICULTEUR"
            community = None
            full = f"Association des femmes maraîchères de {place.name}"
            mention = (
                f"l'association des femmes maraîchères de {place.name}",
                f"the women market gardeners' association of {place.name}",
            )
        elif profile == "youth_assoc":
            kind, sex, community = PartyKind.ASSOCIATION.value, Sex.UNKNOWN.value, None
            full = f"Association des jeunes de {place.name}"
            mention = (
                f"l'association des jeunes de {place.name}",
                f"the youth association of {place.name}",
            )
        elif profile in ("unknown", "unknown_armed"):
            sex, age, community = Sex.UNKNOWN.value, AgeBand.UNKNOWN.value, None
            if profile == "unknown_armed":
                full = "Individus armés non identifiés"
                mention = ("des individus armés non identifiés", "unidentified armed men")
            else:
                full = "Auteurs non identifiés"
                mention = ("des auteurs non identifiés", "unidentified people")
        else:  # a third party: a witness, a neighbour, an elder
            sex = Sex.FEMALE.value if rng.random() < 0.35 else Sex.MALE.value
            full = self.person(ethnic, sex)[0]
            livelihood = rng.choice(("AGRICULTEUR", "ELEVEUR", "COMMERCANT", "AUTRE"))
        if kind == PartyKind.ASSOCIATION.value and profile == "youth_assoc":
            age = AgeBand.YOUTH.value
        elif kind != PartyKind.INDIVIDUAL.value:
            age = AgeBand.UNKNOWN.value
        full = _french(name or full)
        mention = mention or (full, full)
        return PartyPlan(
            role=role,
            name=full,
            kind=kind,
            sex=sex,
            age_band=age,
            livelihood=livelihood,
            community=community,
            consent_to_share=rng.random() < 0.6,
            mention_fr=_french(mention[0]),
            mention_en=mention[1],
        )

    def kin(self, ethnic: str, daughter: bool) -> tuple[str, str, str]:
        """For an inheritance: the deceased, then the complainant and the respondent (his
        daughter and his brother, or two of his sons), named as kin are in the group."""
        rng = self.rng

        def given(sex: str, *taken: str) -> str:
            names = [n for n in GIVEN[ethnic][sex] if n not in taken] or list(GIVEN[ethnic][sex])
            return rng.choice(names)

        dead = given("M")
        if ethnic in ("tamasheq", "arabe"):
            son, girl = ("Ag", "Walet") if ethnic == "tamasheq" else ("Ould", "Mint")
            grandfather = given("M", dead)
            deceased = f"{dead} {son} {grandfather}"
            brother = f"{given('M', dead, grandfather)} {son} {grandfather}"
            first_son = given("M", dead)
            sons = (f"{first_son} {son} {dead}", f"{given('M', dead, first_son)} {son} {dead}")
            child = f"{given('F')} {girl} {dead}"
        else:
            surname = rng.choice(SURNAMES[ethnic])
            deceased = f"{dead} {surname}"
            brother = f"{given('M', dead)} {surname}"
            first_son = given("M", dead)
            sons = (f"{first_son} {surname}", f"{given('M', dead, first_son)} {surname}")
            child = f"{given('F')} {surname}"
        if daughter:
            return deceased, child, brother
        return deceased, *sons

    # --- the path through the workflow

    def timeline(self, scenario: str, ctx: _CaseContext, delay: int) -> tuple[list[Step], date]:
        """The steps with their dates, and the date of the report."""
        rng = self.rng
        d1 = self.fu_days[0]
        d2 = self.fu_days[1] if len(self.fu_days) > 1 else None
        # Each builder gives steps dated in days after the report, the step whose date
        # anchors the case, and the window (days before today) where that date falls.
        steps: list[Step] = []
        anchor = 0
        window = (0, 480)
        tail = None  # after an agreement: (compliance at each visit, close when all done)
        mediation_gap = rng.randint(0, 6)

        def register(offset=0):
            steps.append(Step("register", offset))

        def mediate(offset):
            steps.append(Step("mediate", offset))

        if scenario == "reported":
            window = (0, 10)
        elif scenario == "dropped_early":
            reason, outcome = rng.choice(DROP_REASONS)
            steps.append(Step("drop", None, {"status": S.CLASSE, "reason": reason,
                                             "outcome": outcome}))  # fmt: skip
            window = (5, 480)
        elif scenario == "registered":
            register(rng.randint(0, 3))
            anchor, window = steps[-1].on, (0, 25)
        elif scenario == "suspended_registered":
            register(rng.randint(0, 3))
            steps.append(Step("suspend", None, {"reason": rng.choice(SUSPEND_REASONS)}))
            anchor, window = steps[0].on, (3, 300)
        elif scenario in ("in_mediation", "suspended_mediation", "resumed", "withdrawn"):
            register(rng.randint(0, 3))
            mediate(steps[-1].on + mediation_gap)
            final = "continue" if rng.random() < 0.7 else "escalated"
            count = rng.choice((0, 1, 1, 2, 2, 3)) if scenario == "in_mediation" else None
            end = self.sessions(steps, ctx, steps[-1].on, final, count=count, max_count=3)
            if scenario == "suspended_mediation":
                steps.append(Step("suspend", None, {"reason": rng.choice(SUSPEND_REASONS)}))
                window = (5, 300)
            elif scenario == "resumed":
                steps.append(Step("suspend", None, {"reason": rng.choice(SUSPEND_REASONS)}))
                steps.append(Step("resume", None, {"reason": RESUME_REASON}))
                resumed_on = end + rng.randint(20, 60)
                end = self.sessions(
                    steps, ctx, resumed_on, "continue", start_level=ctx.level, count=1
                )
                window = (0, 40)
            elif scenario == "withdrawn":
                reason, outcome = rng.choice(WITHDRAW_REASONS)
                steps.append(
                    Step("drop", None, {"status": S.CLASSE, "reason": reason, "outcome": outcome})
                )
                window = (3, 420)
            else:
                window = (0, 35)
            anchor = end
        elif scenario in (
            "agreement_pending",
            "follow_up",
            "resolved",
            "resolved_direct",
            "breach",
        ):
            register(rng.randint(0, 3))
            mediate(steps[-1].on + mediation_gap)
            anchor = self.sessions(steps, ctx, steps[-1].on, "agreement")
            anchor = self.agreement(steps, ctx, anchor)
            if scenario == "agreement_pending":
                window = (0, d1 - 1)
                tail = ([], False)
            elif scenario == "follow_up":
                window = (d1, d2 - 1) if d2 else (d1, 300)
                tail = ([self.compliance(0.7)], False)
            elif scenario == "resolved":
                window = (d2 or d1) + 8, 420
                tail = ([self.compliance(0.8) for _ in self.fu_days], True)
            elif scenario == "breach":
                breach_at = rng.randrange(len(self.fu_days))
                window = (self.fu_days[breach_at] + 3, 400)
                compliances = [self.compliance(0.7) for _ in range(breach_at)]
                tail = (compliances + [Compliance.NOT_RESPECTED.value], False)
            else:
                steps.append(
                    Step("close", None, {"status": S.CLOTURE_RESOLU, "reason": DIRECT_CLOSE_REASON,
                                         "outcome": steps[-1].data["outcome"]})
                )  # fmt: skip
                window = (1, 450)
        elif scenario == "failed_closed":
            register(rng.randint(0, 3))
            mediate(steps[-1].on + mediation_gap)
            anchor = self.sessions(steps, ctx, steps[-1].on, "failure")
            steps.append(
                Step("close", None, {"status": S.CLOTURE_NON_RESOLU,
                                     "reason": rng.choice(FAILED_REASONS), "outcome": "ECHEC"})
            )  # fmt: skip
            window = (2, 420)
        elif scenario in ("failed_referred", "referred_pending"):
            register(rng.randint(0, 3))
            mediate(steps[-1].on + mediation_gap)
            end = self.sessions(steps, ctx, steps[-1].on, "referral", max_count=4)
            end = self.referral(steps, ctx, end + rng.randint(0, 7))
            if scenario == "referred_pending":
                feedback = None
            else:
                feedback = _weighted(
                    rng, {None: 3, "sent_back": 2.5 if ctx.place.region == "KDL" else 1.5,
                          "settled": 2, "not_settled": 1.5}
                )  # fmt: skip
            anchor, window = end, (0, 300)
            if feedback:
                end = self.feedback(steps, ctx, end, feedback, crime=False)
                anchor, window = end, (0, 360)
                if feedback == "sent_back":
                    ctx.level = 2
                    final = rng.choice(("agreement", "agreement", "continue"))
                    held = sum(step.kind == "session" for step in steps)
                    room = max(1, MAX_SESSIONS - held)
                    end = self.sessions(steps, ctx, end, final, start_level=2, max_count=room)
                    anchor = end
                    if final == "agreement":
                        anchor = self.agreement(steps, ctx, end)
                        tail = ([self.compliance(0.8) for _ in self.fu_days], True)
                        window = (0, 300)
                    else:
                        window = (0, 45)
        elif scenario == "crime_referral":
            register(rng.randint(0, 2))
            end = self.referral(steps, ctx, steps[-1].on + rng.randint(0, 4), crime=True)
            anchor, window = end, (0, 480)
            if ctx.harm and not ctx.star and rng.random() < 0.6:
                steps.append(Step("civil_case", None, self.civil(ctx)))
            feedback = _weighted(rng, {None: 2, "settled": 1, "not_settled": 1})
            if feedback:
                gap = rng.randint(15, 150)
                self.feedback(steps, ctx, end + gap, feedback, crime=True)
                anchor, window = end + gap, (0, 400)
        else:  # pragma: no cover - a scenario without a builder is a programming error
            raise ValueError(scenario)

        # Place the anchor in its window, keeping the event within the last 18 months.
        low, high = window
        high = min(high, MAX_AGE_DAYS - delay - anchor)
        low = min(low, high)
        anchor_date = self.today - timedelta(days=rng.randint(max(0, low), max(0, high)))
        reported_on = anchor_date - timedelta(days=anchor)
        dated = [
            Step(s.kind, reported_on + timedelta(days=s.on) if s.on is not None else None, s.data)
            for s in steps
        ]
        if tail is not None:
            dated += self.after_agreement(dated, *tail)
        return dated, reported_on

    def compliance(self, respected: float) -> str:
        if self.rng.random() < respected:
            return Compliance.RESPECTED.value
        return Compliance.PARTIAL.value

    def sessions(
        self,
        steps: list[Step],
        ctx: _CaseContext,
        start: int,
        final: str,
        *,
        start_level: int = 0,
        count: int | None = None,
        max_count: int = MAX_SESSIONS,
    ) -> int:
        """Sessions from ``start`` (days after the report), ending in ``final``: agreement,
        failure, referral, continue, or escalated (a failure and the climb, no session yet).
        Returns the day of the last session (``start`` when there is none)."""
        rng = self.rng
        if final == "agreement":
            top = _weighted(rng, {0: 1, 1: 3, 2: 4, 3: 1.5, 4: 0.5})
        elif final in ("failure", "referral"):
            top = _weighted(rng, {1: 1, 2: 3, 3: 3, 4: 2})
        else:
            top = _weighted(rng, {0: 2, 1: 3, 2: 2, 3: 1})
        if ctx.conflict_type == "FONCIER" and final == "referral":
            top = 3  # the land commission's record of non-conciliation opens the courts
        top = min(max(top, start_level), start_level + max_count - 1, HIGHEST_MEDIATION_LEVEL)
        path = [(level, SessionResult.FAILURE.value) for level in range(start_level, top)]
        if final in ("agreement", "failure", "referral", "continue"):
            room = max(0, max_count - len(path) - 1)
            path += [(top, SessionResult.CONTINUE.value)] * min(rng.randint(0, 2), room)
            result = {
                "agreement": SessionResult.AGREEMENT.value,
                "failure": SessionResult.FAILURE.value,
                "referral": _weighted(
                    rng, {SessionResult.REFERRAL.value: 2, SessionResult.FAILURE.value: 1}
                ),
                "continue": SessionResult.CONTINUE.value,
            }[final]
            path.append((top, result))
        else:  # escalated: the last failure climbed, the next level has not met yet
            path.append((top, SessionResult.FAILURE.value))
        if count is not None:
            path = path[:count]
        path = path[:max_count]
        day = start
        ctx.level = start_level
        for index, (level, result) in enumerate(path):
            day += rng.randint(2, 12) if index == 0 else rng.randint(4, 21)
            session = Step("session", day, self.session(ctx, level, result))
            steps.append(session)
            ctx.last_session = session
            escalates = result == SessionResult.FAILURE.value and level < HIGHEST_MEDIATION_LEVEL
            if escalates and (index < len(path) - 1 or final == "escalated"):
                steps.append(Step("escalate", None, {"reason": ESCALATION_REASONS[level + 1]}))
                ctx.level = level + 1
        return day

    def session(self, ctx: _CaseContext, level: int, result: str) -> dict:
        rng = self.rng
        mechanisms = LEVEL_MECHANISMS[level]
        places = LEVEL_PLACES[level]
        if level == 3 and ctx.conflict_type in LAND_TYPES:
            mechanisms = (("COFO_CONCILIATION", 1),)
        if result == SessionResult.AGREEMENT.value and level > 0:
            if ctx.conflict_type == "DEGATS_CHAMPETRES" and rng.random() < 0.5:
                mechanisms = (("COMPENSATION", 1),)
            elif ctx.conflict_type == "VOL_BETAIL" and rng.random() < 0.5:
                mechanisms = (("RESTITUTION", 1),)
        actors = [i for i, a in enumerate(DEMO_ACTORS) if a.region == ctx.place.region]
        fitting = [i for i in actors if DEMO_ACTORS[i].actor_type in LEVEL_ACTOR_TYPES[level]]
        pool = fitting or actors
        chosen = []
        if pool and (level > 0 or rng.random() < 0.3):
            chosen = sorted(rng.sample(pool, min(len(pool), rng.randint(1, 3))))
        women = rng.randint(0, 3) + (rng.randint(1, 5) if ctx.women_involved else 0)
        men = rng.randint(2, 7) + 2 * level
        youth = rng.randint(0, min(women + men, 2 + level))
        lang = ctx.lang if rng.random() < 0.6 else "fr"
        minutes = rng.choice(MINUTES[lang][result])
        notes = {}
        if rng.random() < 0.2:
            notes[rng.randrange(len(ctx.parties))] = rng.choice(PRIVATE_NOTES)
        return {
            "level": level,
            "result": result,
            "place": _weighted(rng, places),
            "mechanism": _weighted(rng, mechanisms),
            "women": women,
            "men": men,
            "youth": youth,
            "minutes": minutes,
            "minutes_lang": lang,
            "actors": tuple(chosen),
            "notes": notes,
        }

    def agreement(self, steps: list[Step], ctx: _CaseContext, day: int) -> int:
        rng = self.rng
        day += rng.choice((0, 0, 0, 1, 2))
        full = rng.random() < 0.8
        templates = list(TERMS[ctx.conflict_type])
        if not full and len(templates) > 1:
            templates = templates[:-1]
        values = ctx.values
        compensation = None
        if ctx.conflict_type == "DEGATS_CHAMPETRES":
            compensation = _round(values["fcfa"] * rng.uniform(0.4, 0.9))
        elif ctx.conflict_type in ("VOL_BETAIL", "DETTE_COMMERCE"):
            compensation = _round(values["fcfa"] * rng.uniform(0.3, 1.0))
        elif ctx.conflict_type == "MATRIMONIAL":
            compensation = _round(rng.uniform(10_000, 30_000), 2_500)
        elif ctx.conflict_type == "PATURAGE":
            compensation = _round(rng.uniform(10_000, 60_000), 2_500)
        elif ctx.conflict_type == "EAU_PUITS":
            compensation = _round(rng.uniform(2_500, 10_000), 2_500)
        heads = None
        restitution = None
        if ctx.conflict_type == "VOL_BETAIL":
            heads = max(1, values["heads"] - rng.randint(0, 2))
            restitution = f"Restitution de {heads} tête(s) de bétail reconnues par leur marque."
        elif ctx.conflict_type == "DEGATS_CHAMPETRES" and rng.random() < 0.3:
            heads = rng.randint(1, 2)
        elif ctx.conflict_type == "FONCIER" and rng.random() < 0.5:
            restitution = "Restitution de la partie contestée de la parcelle."
        fmt = {
            "a": ctx.parties[0].mention_fr,
            "b": ctx.parties[1].mention_fr if len(ctx.parties) > 1 else ctx.parties[0].mention_fr,
            "fcfa": _fcfa(compensation or values["fcfa"], "fr"),
            "heads": heads or values["heads"],
        }
        terms = []
        for description, bound, days in templates:
            obliged = {"R": 1, "C": 0}.get(bound)
            if obliged is not None and obliged >= len(ctx.parties):
                obliged = None
            terms.append((_sentences(_french(description.format(**fmt))), obliged, days))
        form = _weighted(
            rng,
            {AgreementForm.VERBAL.value: 4, AgreementForm.WRITTEN.value: 5,
             AgreementForm.HOMOLOGATED.value: 3 if ctx.conflict_type in LAND_TYPES else 0.5},
        )  # fmt: skip
        last = ctx.last_session.data if ctx.last_session else {}
        witnesses = "; ".join(DEMO_ACTORS[i].name for i in last.get("actors", ()))
        steps.append(
            Step(
                "agreement",
                day,
                {
                    "form": form,
                    "outcome": "ACCORD_TOTAL" if full else "ACCORD_PARTIEL",
                    "compensation_fcfa": compensation,
                    "livestock_heads": heads,
                    "restitution": restitution,
                    "signatories": "; ".join(p.name for p in ctx.parties[:2]),
                    "witnesses": witnesses or _french(f"Notables de {ctx.village}"),
                    "terms": tuple(terms),
                },
            )
        )
        return day

    def after_agreement(self, dated: list[Step], compliances: list[str], close: bool):
        """The follow-up visits due by today, then the closure when every visit is done."""
        agreement = next(s for s in reversed(dated) if s.kind == "agreement")
        steps = []
        for index, days in enumerate(self.fu_days):
            due = agreement.on + timedelta(days=days)
            if due > self.today or index >= len(compliances):
                break
            done = min(due + timedelta(days=self.rng.randint(0, 7)), self.today)
            compliance = compliances[index]
            breach = compliance == Compliance.NOT_RESPECTED.value
            data = {
                "index": index,
                "compliance": compliance,
                "notes": self.rng.choice(FOLLOW_UP_NOTES[compliance]),
                "register_recurrence": breach and self.rng.random() < 0.6,
            }
            steps.append(Step("visit", done, data))
            if breach:
                return steps
        if close and len(steps) == len(self.fu_days):
            outcome = agreement.data["outcome"]
            steps.append(
                Step(
                    "close",
                    None,
                    {"status": S.CLOTURE_RESOLU, "reason": RESOLVED_REASON, "outcome": outcome},
                )
            )
        return steps

    def referral(self, steps: list[Step], ctx: _CaseContext, day: int, crime=False) -> int:
        rng = self.rng
        if crime:
            key = ctx.conflict_type if ctx.star else "HARM"
            target = _weighted(rng, CRIME_REFERRALS[key])
            reason = CRIME_REASONS[key]
            source = f"Médiateurs communautaires de {ctx.place.name}"
        else:
            level = ctx.level
            if ctx.conflict_type == "FONCIER":
                target = rng.choice(("TPI", "JPCE"))
                reason = (
                    "Procès-verbal de non-conciliation de la commission foncière : le "
                    "tribunal peut être saisi."
                )
            else:
                target = "PREFET" if level >= 4 else rng.choice(("JPCE", "SOUS_PREFET", "TPI"))
                reason = "Échec de la médiation locale ; les parties demandent l'arbitrage " + (
                    "de l'administration." if target in ("PREFET", "SOUS_PREFET") else "du juge."
                )
            source = {
                0: f"Médiateurs communautaires de {ctx.place.name}",
                1: f"Notables de {ctx.village}",
                2: f"Chefferie de {ctx.village}",
                3: f"COFO de {ctx.place.name}"
                if ctx.conflict_type in LAND_TYPES
                else f"Mairie de {ctx.place.name}",
                4: f"Sous-préfecture de {ctx.place.name}",
            }[level]
        data = {
            "target": target,
            "reason": reason,
            "from_institution": _french(source),
            "crime": crime,
        }
        steps.append(Step("refer", day, data))
        return day

    def feedback(self, steps, ctx, day: int, result: str, *, crime: bool) -> int:
        texts = (CRIME_FEEDBACK if crime else MEDIATION_FEEDBACK)[result]
        gap = 0 if crime else self.rng.randint(10, 90)
        steps.append(
            Step(
                "feedback",
                day + gap,
                {"result": result, "feedback": self.rng.choice(texts), "back_to_level": 2},
            )
        )
        return day + gap

    def civil(self, ctx: _CaseContext) -> dict:
        return {
            "conflict_type": ctx.conflict_type,
            "title": "Dédommagement entre familles – volet civil",
            "register": self.rng.random() < 0.7,
            "mediate": self.rng.random() < 0.4,
        }


@dataclass
class _CaseContext:
    """What the planner of a case's path needs to know about the case."""

    conflict_type: str
    place: DemoPlace
    parties: list[PartyPlan]
    lang: str
    harm: bool
    values: dict
    village: str
    level: int = 0
    last_session: Step | None = None

    @property
    def star(self) -> bool:
        return self.conflict_type in STAR_TYPES

    @property
    def women_involved(self) -> bool:
        return self.conflict_type in ("MATRIMONIAL", "SUCCESSION", "EAU_PUITS") or any(
            p.sex == Sex.FEMALE.value for p in self.parties
        )


# --- community policing: units, committees, activities, alerts ------------------------------


@dataclass(frozen=True)
class DemoPoliceUnit:
    name: str
    force: str
    commune: str  # the code of a commune among PLACES
    focal_point: str | None = None  # the username of a demo community-police user


POLICE_UNITS = (
    DemoPoliceUnit(
        "Police de proximité de Gao", Force.POLICE.value, "GAO-GAO-GAO", "sekou.dembele"
    ),
    DemoPoliceUnit("Brigade de gendarmerie de Gabero", Force.GENDARMERIE.value, "GAO-GAO-GABERO"),
    DemoPoliceUnit(
        "Peloton de la garde nationale d'Ansongo",
        Force.GARDE_NATIONALE.value,
        "GAO-ANSONGO-ANSONGO",
    ),
    DemoPoliceUnit(
        "Police de proximité de Tombouctou",
        Force.POLICE.value,
        "TBK-TOMBOUCTOU-TOMBOUCTOU",
        "hadizatou.maiga",
    ),
    DemoPoliceUnit(
        "Brigade de gendarmerie de Diré",
        Force.GENDARMERIE.value,
        "TBK-DIRE-DIRE",
        "hadizatou.maiga",
    ),
    DemoPoliceUnit("Unité mixte de sécurité de Ménaka", Force.MIXED.value, "MNK-MENAKA-MENAKA"),
)
# Communes with a security committee (CCS), chaired by the mayor.
CCS_COMMUNES = (
    "GAO-GAO-GAO",
    "GAO-ANSONGO-ANSONGO",
    "GAO-BOUREM-BOUREM",
    "TBK-TOMBOUCTOU-TOMBOUCTOU",
    "TBK-GOUNDAM-GOUNDAM",
    "MNK-MENAKA-MENAKA",
)
# (function, sex or None for either); the mayor and the women's representative always sit.
CCS_MAYOR = "Maire de {commune}"
CCS_WOMEN = "Représentante des femmes"
CCS_FUNCTIONS = (
    ("Chef de village de {village}", "M"),
    ("Représentant des jeunes", "M"),
    ("Commandant de brigade de gendarmerie", "M"),
    ("Imam de la grande mosquée", "M"),
    ("Chef de fraction", "M"),
    ("Représentante des commerçantes", "F"),
    ("Représentant des éleveurs", "M"),
    ("Point focal de la police de proximité", None),
    ("Adjointe au maire", "F"),
    ("Représentant du sous-préfet", "M"),
)
CCS_AGENDA = (
    "Vols de bétail du mois et suivi des troupeaux retrouvés",
    "Préparation de la descente des transhumants",
    "Sécurité de la foire hebdomadaire",
    "Préparation de la campagne agricole et couloirs de passage",
    "Dispositif de sécurité pour la fête de Tabaski",
    "Rumeurs et messages d'incitation sur les réseaux sociaux",
    "Retour des familles déplacées",
    "Accès aux puits pastoraux en saison sèche",
    "Orpaillage et tensions entre jeunes",
    "Relations entre la population et les forces de sécurité",
)
CCS_NOTES = (
    "Quorum atteint. Le commandant de brigade a présenté le bilan des patrouilles du mois.",
    "Les chefs de village absents se sont fait représenter.",
    "La séance a été levée plus tôt en raison d'une alerte à la périphérie de la commune.",
    "Les représentantes des femmes demandent que les réunions se tiennent le matin.",
)
CCS_RECOMMENDATIONS = (
    ("Renforcer les patrouilles mixtes les jours de foire", "Police de proximité"),
    ("Baliser le couloir de passage de {village}", "Mairie de {commune}"),
    (
        "Réunir les chefs de village et de fraction avant la descente des troupeaux",
        "Sous-préfet",
    ),
    (
        "Sensibiliser les jeunes sur les rumeurs diffusées sur les réseaux sociaux",
        "Association des jeunes",
    ),
    ("Installer un éclairage solaire au marché", "Mairie de {commune}"),
    ("Mettre à jour la liste des relais communautaires", "Police de proximité"),
    ("Saisir la commission foncière au sujet du puits de {village}", "Mairie de {commune}"),
    (
        "Organiser une causerie sur les violences basées sur le genre",
        "Association des femmes",
    ),
    ("Marquer le bétail avant le départ en transhumance", "Chef de village de {village}"),
    ("Demander une patrouille de la garde nationale sur l'axe du fleuve", "Sous-préfet"),
)

# Activities: (community participants low, high), share of women, share of young people,
# duration in minutes; topics and places ({place}, {commune}, {village}, {other}).
ACTIVITY_PROFILES = {
    "PATROUILLE_PEDESTRE": ((0, 6), (0.0, 0.3), (0.3, 0.8), (90, 240)),
    "PATROUILLE_MOTORISEE": ((0, 4), (0.0, 0.2), (0.2, 0.7), (120, 480)),
    "PATROUILLE_MIXTE": ((2, 10), (0.0, 0.3), (0.3, 0.8), (120, 360)),
    "SENSIBILISATION": ((20, 120), (0.3, 0.6), (0.3, 0.6), (60, 180)),
    "REUNION_CCS": ((8, 20), (0.15, 0.35), (0.1, 0.3), (90, 180)),
    "TABLE_CONCERTATION": ((10, 40), (0.2, 0.45), (0.2, 0.5), (90, 240)),
    "DIAGNOSTIC_SECURITE": ((15, 50), (0.25, 0.5), (0.25, 0.5), (240, 960)),
    "CARTOGRAPHIE_CRIMINALITE": ((6, 20), (0.2, 0.45), (0.3, 0.6), (120, 360)),
    "VISITE_AUTORITES": ((2, 8), (0.0, 0.25), (0.0, 0.2), (30, 120)),
    "COLLECTE_RENSEIGNEMENT": ((0, 5), (0.0, 0.4), (0.2, 0.6), (60, 240)),
    "TRANSMISSION_ALERTE": ((0, 3), (0.0, 0.4), (0.0, 0.5), (15, 60)),
    "ORIENTATION_FDS": ((1, 4), (0.1, 0.5), (0.2, 0.6), (30, 120)),
    "MEDIATION_PETIT_LITIGE": ((2, 10), (0.2, 0.5), (0.1, 0.4), (60, 180)),
    "ASSISTANCE_VICTIME": ((1, 5), (0.3, 0.7), (0.2, 0.5), (60, 240)),
    "ACTIVITE_COHESION": ((40, 300), (0.3, 0.55), (0.5, 0.8), (180, 600)),
}
ACTIVITY_WEIGHTS = {
    "PATROUILLE_PEDESTRE": 14,
    "PATROUILLE_MOTORISEE": 10,
    "PATROUILLE_MIXTE": 8,
    "SENSIBILISATION": 12,
    "REUNION_CCS": 4,
    "TABLE_CONCERTATION": 4,
    "DIAGNOSTIC_SECURITE": 1.5,
    "CARTOGRAPHIE_CRIMINALITE": 1.5,
    "VISITE_AUTORITES": 6,
    "COLLECTE_RENSEIGNEMENT": 7,
    "TRANSMISSION_ALERTE": 5,
    "ORIENTATION_FDS": 4,
    "MEDIATION_PETIT_LITIGE": 8,
    "ASSISTANCE_VICTIME": 3,
    "ACTIVITE_COHESION": 3,
}
ACTIVITY_TOPICS = {
    "PATROUILLE_PEDESTRE": (
        "Patrouille pédestre au marché de {place}",
        "Patrouille de nuit dans les quartiers de {place}",
        "Ronde autour des points d'eau de {place}",
    ),
    "PATROUILLE_MOTORISEE": (
        "Patrouille motorisée sur l'axe {place}–{other}",
        "Sécurisation de la foire hebdomadaire de {place}",
        "Patrouille motorisée vers les campements autour de {village}",
    ),
    "PATROUILLE_MIXTE": (
        "Patrouille mixte FDS et relais communautaires à {place}",
        "Patrouille conjointe le long du couloir de transhumance de {village}",
    ),
    "SENSIBILISATION": (
        "Causerie-débat sur la cohabitation entre agriculteurs et éleveurs à {place}",
        "Sensibilisation des jeunes aux dangers des engins explosifs à {place}",
        "Causerie sur les violences basées sur le genre avec les femmes de {village}",
        "Sensibilisation sur le respect des couloirs de passage à {village}",
        "Causerie sur le rôle des relais communautaires à {place}",
    ),
    "REUNION_CCS": (
        "Participation à la réunion du CCS de {commune}",
        "Présentation du bilan des patrouilles au CCS de {commune}",
    ),
    "TABLE_CONCERTATION": (
        "Table de concertation police–population à {place}",
        "Concertation avec les chefs de fraction sur la sécurité des marchés de {commune}",
        "Concertation sur l'accès aux puits pastoraux de {village}",
    ),
    "DIAGNOSTIC_SECURITE": (
        "Diagnostic local de sécurité de la commune de {commune}",
        "Diagnostic de sécurité avec les femmes et les jeunes de {place}",
    ),
    "CARTOGRAPHIE_CRIMINALITE": (
        "Cartographie des points chauds de {commune}",
        "Mise à jour de la carte des vols de bétail de {commune}",
    ),
    "VISITE_AUTORITES": (
        "Visite au chef de village de {village}",
        "Visite au cadi et aux notables de {place}",
        "Visite aux chefs de fraction des environs de {place}",
    ),
    "COLLECTE_RENSEIGNEMENT": (
        "Collecte d'informations auprès des relais de {place}",
        "Entretiens avec les commerçants du marché de {place}",
        "Échanges avec les bergers autour de {village}",
    ),
    "TRANSMISSION_ALERTE": (
        "Transmission aux FDS d'une alerte venue de {village}",
        "Transmission d'une alerte sur des mouvements suspects près de {place}",
    ),
    "ORIENTATION_FDS": (
        "Orientation d'un plaignant de {place} vers la gendarmerie",
        "Remise d'un suspect à la brigade après un signalement à {place}",
    ),
    "MEDIATION_PETIT_LITIGE": (
        "Médiation d'un litige de voisinage à {place}",
        "Règlement d'un différend sur un dégât de chèvres à {village}",
        "Médiation d'une petite dette entre commerçants de {place}",
    ),
    "ASSISTANCE_VICTIME": (
        "Accompagnement d'une victime au centre de santé de {place}",
        "Assistance à une famille victime de vol de bétail à {village}",
    ),
    "ACTIVITE_COHESION": (
        "Match de football de la cohésion sociale à {place}",
        "Journée culturelle intercommunautaire à {place}",
        "Repas communautaire de la paix à {village}",
    ),
}
ACTIVITY_SITES = {
    "PATROUILLE_PEDESTRE": ("Marché de {place}", "Gare routière de {place}", "Berges du fleuve"),
    "PATROUILLE_MOTORISEE": ("Axe {place}–{other}", "Campements de {village}"),
    "PATROUILLE_MIXTE": ("Couloir de passage de {village}", "Marché de {place}"),
    "SENSIBILISATION": ("École de {village}", "Maison des jeunes de {place}", "Place publique"),
    "REUNION_CCS": ("Mairie de {commune}",),
    "TABLE_CONCERTATION": ("Mairie de {commune}", "Vestibule du chef de village de {village}"),
    "DIAGNOSTIC_SECURITE": ("Mairie de {commune}", "Maison des femmes de {place}"),
    "CARTOGRAPHIE_CRIMINALITE": ("Poste de police de proximité",),
    "VISITE_AUTORITES": ("Vestibule du chef de village de {village}", "Mosquée de {place}"),
    "COLLECTE_RENSEIGNEMENT": ("Marché de {place}", "Puits de {village}"),
    "TRANSMISSION_ALERTE": ("Poste de police de proximité",),
    "ORIENTATION_FDS": ("Brigade de gendarmerie",),
    "MEDIATION_PETIT_LITIGE": ("Vestibule du chef de quartier", "Marché de {place}"),
    "ASSISTANCE_VICTIME": ("Centre de santé de {place}",),
    "ACTIVITE_COHESION": ("Terrain de football de {place}", "Place publique de {village}"),
}
ACTIVITY_NOTES = (
    "RAS.",
    "Bonne participation des femmes.",
    "Les relais signalent des mouvements de troupeaux inhabituels.",
    "Les jeunes demandent plus de patrouilles de nuit.",
    "Véhicule en panne : retour à pied.",
    "Les habitants hésitent encore à parler devant les agents en uniforme.",
)
# Which planned cases an activity of a type may deal with (cases of its commune).
SECRET = Confidentiality.SECRET.value


def _links_activity(activity_type: str, case: CasePlan) -> bool:
    if case.confidentiality == SECRET:
        return False
    harm = case.deaths > 0 or case.injuries_serious > 0
    star = case.conflict_type in STAR_TYPES
    if activity_type == "MEDIATION_PETIT_LITIGE":
        return not star and not harm
    if activity_type == "ORIENTATION_FDS":
        return star or harm
    if activity_type == "ASSISTANCE_VICTIME":
        return case.conflict_type in ("BANDITISME", "VOL_BETAIL") or harm
    if activity_type == "TRANSMISSION_ALERTE":
        return star or case.conflict_type in ("INTERCOMMUNAUTAIRE", "VOL_BETAIL", "TRANSHUMANCE")
    if activity_type in ("TABLE_CONCERTATION", "VISITE_AUTORITES"):
        return case.conflict_type in (
            "INTERCOMMUNAUTAIRE", "TRANSHUMANCE", "PATURAGE", "EAU_PUITS", "CHEFFERIE", "FONCIER"
        )  # fmt: skip
    return False


LINKING_ACTIVITIES = (
    "MEDIATION_PETIT_LITIGE",
    "ORIENTATION_FDS",
    "ASSISTANCE_VICTIME",
    "TRANSMISSION_ALERTE",
    "TABLE_CONCERTATION",
    "VISITE_AUTORITES",
)

# Alerts: where (regions where someone may record them), what, how urgent, from whom.
ALERT_REGIONS = {"GAO": 1.1, "TBK": 1.0, "MNK": 2.0, "KDL": 1.0}
ALERT_CATEGORY_WEIGHTS = {
    "TENSION_INTERCOMMUNAUTAIRE": 3,
    "MOUVEMENT_ARME": 2,
    "TRAFIC": 1.5,
    "BANDITISME": 3,
    "ENLEVEMENT": 0.7,
    "ENGIN_EXPLOSIF": 0.8,
    "VOL_BETAIL": 4,
    "TRANSHUMANCE_CONFLICTUELLE": 2.5,
    "RUMEUR_INCITATION": 2,
}
REGION_ALERT_FACTOR = {
    "KDL": {"TRAFIC": 3, "MOUVEMENT_ARME": 2, "TRANSHUMANCE_CONFLICTUELLE": 0.3},
    "MNK": {"MOUVEMENT_ARME": 2, "VOL_BETAIL": 1.5, "ENGIN_EXPLOSIF": 1.5},
    "TBK": {"TRANSHUMANCE_CONFLICTUELLE": 1.5},
    "GAO": {"BANDITISME": 1.3},
}
ALERT_URGENCY = {
    "MOUVEMENT_ARME": {3: 6, 2: 3, 1: 1},
    "ENLEVEMENT": {3: 6, 2: 3, 1: 1},
    "ENGIN_EXPLOSIF": {3: 6, 2: 3, 1: 1},
    "BANDITISME": {3: 3, 2: 5, 1: 2},
    "TRAFIC": {3: 3, 2: 5, 1: 2},
    "TENSION_INTERCOMMUNAUTAIRE": {3: 3, 2: 5, 1: 2},
}
ALERT_SOURCES = {
    # source type: (weight, prefix of its relay codes, how many relays of the kind)
    "RELAIS_COMMUNAUTAIRE": (5, "R", 40),
    "CHEF": (3, "C", 15),
    "FDS": (1.5, "F", 8),
    "AUTORITE_ADMINISTRATIVE": (1, "A", 6),
    "ASSOCIATION": (1.5, "AS", 10),
    "COMITE_PAIX": (1.5, "CP", 10),
    "PATROUILLE": (2, "PP", 12),
    "AUTRE": (0.5, None, 0),  # an anonymous call: no relay code
}
ALERT_TEXTS = {
    "TENSION_INTERCOMMUNAUTAIRE": (
        "Altercation entre des jeunes cultivateurs de {village} et des bergers au puits ; "
        "les esprits restent échauffés et des menaces de représailles circulent.",
        "Après la mort d'un chameau près de {village}, deux fractions s'accusent "
        "mutuellement ; des jeunes se regroupent.",
        "Bagarre au marché de {place} entre jeunes de deux communautés ; plusieurs blessés légers.",
    ),
    "MOUVEMENT_ARME": (
        "Une dizaine d'hommes armés à moto ont été vus se dirigeant vers {village}.",
        "Passage d'un convoi de pick-up armés sans immatriculation au nord de {place}.",
        "Des hommes armés ont installé un campement provisoire près de {village}.",
    ),
    "TRAFIC": (
        "Des véhicules chargés circulent de nuit sur la piste de contournement de {place}.",
        "Un dépôt de carburant et de cigarettes de contrebande est signalé près de {village}.",
    ),
    "BANDITISME": (
        "Braquage d'un forain sur l'axe {place}–{other} : moto, téléphone et argent emportés.",
        "Coupeurs de route signalés près de {village} ; deux véhicules dépouillés.",
        "Cambriolage armé d'une boutique à {place} pendant la nuit.",
    ),
    "ENLEVEMENT": (
        "Un commerçant de {village} a été enlevé par des individus armés ; la famille a reçu "
        "un appel.",
        "Tentative d'enlèvement d'un agent de santé sur la piste de {village}.",
    ),
    "ENGIN_EXPLOSIF": (
        "Objet suspect signalé sur la piste entre {place} et {village} ; les bergers ont "
        "balisé la zone.",
        "Un engin explosif a été découvert près du puits de {village}.",
    ),
    "VOL_BETAIL": (
        "{n} bovins enlevés de nuit dans un campement près de {village} ; les traces vont vers "
        "le nord.",
        "Vol de {n} petits ruminants au pâturage de {village} ; les bergers ont suivi les traces.",
        "{n} chameaux disparus d'un campement des environs de {place} ; des hommes à moto ont "
        "été vus.",
    ),
    "TRANSHUMANCE_CONFLICTUELLE": (
        "Un grand troupeau transhumant est entré dans les champs non récoltés de {village}.",
        "Blocage du couloir de passage à {village} : les cultivateurs refusent le passage des "
        "troupeaux.",
        "Arrivée précoce de transhumants à {place} ; les villages disent que la date convenue "
        "n'est pas respectée.",
    ),
    "RUMEUR_INCITATION": (
        "Des messages audio appelant à chasser une communauté circulent sur WhatsApp à {place}.",
        "Rumeur d'une attaque imminente contre {village} ; des familles commencent à partir.",
    ),
}
ALERT_SITES = {
    "TENSION_INTERCOMMUNAUTAIRE": ("Marché de {place}", "Puits de {village}"),
    "MOUVEMENT_ARME": ("Environs de {village}", "Axe {place}–{other}"),
    "TRAFIC": ("Piste de {village}", "Axe {place}–{other}"),
    "BANDITISME": ("Axe {place}–{other}", "Marché de {place}"),
    "ENLEVEMENT": ("{village}",),
    "ENGIN_EXPLOSIF": ("Piste {place}–{village}", "Puits de {village}"),
    "VOL_BETAIL": ("Campement de {village}", "Pâturage de {village}"),
    "TRANSHUMANCE_CONFLICTUELLE": ("Couloir de passage de {village}", "Champs de {village}"),
    "RUMEUR_INCITATION": ("{place}",),
}
FORWARD_TARGETS = {
    "TENSION_INTERCOMMUNAUTAIRE": {"SOUS_PREFET": 3, "MAIRE": 2, "GENDARMERIE": 1},
    "MOUVEMENT_ARME": {"GARDE_NATIONALE": 3, "GENDARMERIE": 2},
    "TRAFIC": {"GENDARMERIE": 2, "POLICE": 1, "GARDE_NATIONALE": 1},
    "BANDITISME": {"GENDARMERIE": 3, "POLICE": 2, "GARDE_NATIONALE": 1},
    "ENLEVEMENT": {"GENDARMERIE": 2, "GARDE_NATIONALE": 2},
    "ENGIN_EXPLOSIF": {"GARDE_NATIONALE": 2, "GENDARMERIE": 1},
    "VOL_BETAIL": {"GENDARMERIE": 3, "POLICE": 1, "GARDE_NATIONALE": 1},
    "TRANSHUMANCE_CONFLICTUELLE": {"MAIRE": 2, "SOUS_PREFET": 2, "GENDARMERIE": 1},
    "RUMEUR_INCITATION": {"SOUS_PREFET": 2, "MAIRE": 2, "POLICE": 1},
}
RESPONSES = {
    "GENDARMERIE": (
        "Une patrouille de la brigade s'est rendue sur les lieux ; constat fait, enquête ouverte.",
        "Les gendarmes ont suivi les traces avec les bergers ; une partie des animaux a été "
        "retrouvée.",
        "La brigade a renforcé sa présence à {place} pendant trois jours.",
    ),
    "POLICE": (
        "Une équipe du commissariat a été dépêchée ; la situation est sous contrôle.",
        "Deux suspects ont été interpellés et conduits au commissariat.",
    ),
    "GARDE_NATIONALE": (
        "Un peloton de la garde nationale a effectué une reconnaissance ; pas de contact.",
        "La garde nationale a sécurisé l'axe et escorté les forains jusqu'au marché.",
    ),
    "SOUS_PREFET": (
        "Le sous-préfet a réuni les chefs des deux communautés le lendemain.",
        "Le sous-préfet a saisi le CCS et demandé une médiation des chefs coutumiers.",
    ),
    "MAIRE": (
        "Le maire a convoqué le CCS en session extraordinaire.",
        "Le maire a rencontré les chefs de village et les représentants des éleveurs.",
    ),
}
# (hours of the day, weight): alerts come in day and night, more often in daytime.
ALERT_HOURS = ((range(0, 6), 1), (range(6, 12), 3), (range(12, 18), 3), (range(18, 24), 2))
# Alert categories whose case is mediable, and ★ ones (DOMAIN.md §5), when an alert becomes
# a case: its conflict type (the one casework.policing.services suggests) and a title.
ALERT_CASES = {
    "VOL_BETAIL": ("VOL_BETAIL", "Vol de bétail signalé par une alerte à {place}"),
    "TRANSHUMANCE_CONFLICTUELLE": ("TRANSHUMANCE", "Transhumance conflictuelle à {place}"),
    "TENSION_INTERCOMMUNAUTAIRE": (
        "INTERCOMMUNAUTAIRE",
        "Tension intercommunautaire signalée à {place}",
    ),
    "RUMEUR_INCITATION": ("INTERCOMMUNAUTAIRE", "Rumeurs et incitation à la violence à {place}"),
}
ALERT_STAR_CASES = {
    "BANDITISME": ("BANDITISME", "Braquage signalé par une alerte à {place}"),
    "TRAFIC": ("TRAFIC", "Trafic signalé par une alerte près de {place}"),
}
# Runs of recent alerts that reach the default early-warning threshold (3 alerts of one
# category in one commune within 7 days): (commune, category, days before today).
WARNING_RUNS = (
    ("GAO-GAO-GOUNZOUREYE", "VOL_BETAIL", (1, 2, 4, 6)),
    ("TBK-TOMBOUCTOU-BER", "TENSION_INTERCOMMUNAUTAIRE", (1, 3, 5)),
)
# Regions where a demo coordinator can turn an alert into a case.
COORDINATED_REGIONS = frozenset(
    u.area_code[:3] for u in DEMO_USERS if u.role == Role.COORDINATOR.value
)


@dataclass(frozen=True)
class MemberPlan:
    name: str
    function: str
    sex: str


@dataclass(frozen=True)
class RecommendationPlan:
    text: str
    responsible: str
    status: str  # where its follow-up stands today (recorded as pending at the meeting)


@dataclass(frozen=True)
class MeetingPlan:
    held_on: date
    agenda: str
    women: int
    men: int
    notes: str | None
    recommendations: tuple[RecommendationPlan, ...]


@dataclass(frozen=True)
class CommitteePlan:
    commune: DemoPlace
    name: str
    chair: str
    members: tuple[MemberPlan, ...]
    months: int  # how many months back its meetings were expected
    meetings: tuple[MeetingPlan, ...]


@dataclass(frozen=True)
class ActivityPlan:
    activity_type: str
    held_on: date
    police_unit: int  # index in PolicingPlan.units
    place: DemoPlace  # the unit's commune or a place in it
    site: str | None
    topic: str
    duration_minutes: int
    participants: int
    women: int
    men: int
    youth: int
    alerts_raised: int
    cases_created: int
    cases_referred: int
    notes: str | None
    case_numbers: tuple[int, ...]  # planned cases (CasePlan.number) it dealt with


@dataclass(frozen=True)
class AlertCasePlan:
    conflict_type: str
    scope: str
    title: str
    party_name: str
    party_kind: str


@dataclass(frozen=True)
class AlertPlan:
    occurred_at: datetime  # wall-clock time in Bamako, naive
    place: DemoPlace
    site: str | None
    category: str
    urgency: int
    source_type: str
    relay_code: str | None
    description: str
    verified: bool
    forwarded_to: str | None
    forwarded_at: datetime | None
    response: str | None
    responded_at: datetime | None
    police_unit: int | None  # index in PolicingPlan.units
    warning_run: bool = False
    to_case: AlertCasePlan | None = None


@dataclass(frozen=True)
class PolicingPlan:
    units: tuple[DemoPoliceUnit, ...]
    committees: tuple[CommitteePlan, ...]
    activities: tuple[ActivityPlan, ...]
    alerts: tuple[AlertPlan, ...]


def _within_commune(place: DemoPlace, commune: str) -> bool:
    return place.code == commune or place.code.startswith(commune + "-")


def _months_back(today: date, count: int) -> list[tuple[int, int]]:
    """The current month and the ``count - 1`` before it, most recent first."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


class _PolicingPlanner(_Planner):
    """Community policing around a planned caseload, from its own random stream (so that the
    cases of a seed stay what they were)."""

    def __init__(self, rng, today, places, cases: Sequence[CasePlan]):
        super().__init__(rng, today, DEFAULT_FOLLOW_UP_DAYS, places)
        self.cases = tuple(cases)
        self.by_code = {p.code: p for p in self.places}
        # Nothing happens at or after the start of today: every time stays in the past.
        self.horizon = datetime.combine(today, time.min)

    def build(self) -> PolicingPlan:
        units = tuple(u for u in POLICE_UNITS if u.commune in self.by_code)
        committees = tuple(
            self.committee(self.by_code[code]) for code in CCS_COMMUNES if code in self.by_code
        )
        activities = self.activities(units, 3 * len(self.cases)) if units else ()
        alerts = self.alerts(units, round(len(self.cases) / 2))
        return PolicingPlan(units, committees, activities, alerts)

    def village(self, region: str) -> str:
        return self.rng.choice(VILLAGES[region])

    def words(self, place: DemoPlace, commune: DemoPlace | None = None) -> dict:
        others = [
            p.name
            for p in self.places
            if p.region == place.region
            and not p.code.startswith(place.code)
            and not place.code.startswith(p.code)
        ]
        return {
            "place": place.name,
            "commune": (commune or place).name,
            "village": self.village(place.region),
            "other": self.rng.choice(others) if others else place.name,
        }

    # --- security committees

    def committee(self, commune: DemoPlace) -> CommitteePlan:
        rng = self.rng
        region = commune.region
        village = self.village(region)
        size = rng.randint(4, 8)
        chosen = [
            (CCS_MAYOR, Sex.MALE.value if rng.random() < 0.8 else Sex.FEMALE.value),
            (CCS_WOMEN, Sex.FEMALE.value),
            *rng.sample(CCS_FUNCTIONS, size - 2),
        ]
        members = []
        for function, sex in chosen:
            sex = sex or rng.choice((Sex.MALE.value, Sex.FEMALE.value))
            ethnic = "tamasheq" if function == "Chef de fraction" else self.ethnic(region)
            name, _family = self.person(ethnic, sex)
            text = _french(function.format(commune=commune.name, village=village))
            members.append(MemberPlan(name, text, sex))
        months = rng.randint(6, 9)
        meetings = self.meetings(commune, members, months)
        return CommitteePlan(
            commune,
            _french(f"CCS de {commune.name}"),
            _french(f"le maire de {commune.name}"),
            tuple(members),
            months,
            meetings,
        )

    def meetings(self, commune: DemoPlace, members: list[MemberPlan], months: int):
        rng = self.rng
        slots = []
        for year, month in _months_back(self.today, months):
            last = self.today.day if (year, month) == (self.today.year, self.today.month) else 28
            if last >= 2:
                slots.append(date(year, month, rng.randint(2, max(2, min(last, 26)))))
        held = [day for day in slots if rng.random() < 0.72]
        if len(held) == len(slots) and len(held) > 3:
            held.remove(rng.choice(held[1:]))  # a month was missed
        while len(held) < min(3, len(slots)):
            held.append(rng.choice([day for day in slots if day not in held]))
        women = sum(m.sex == Sex.FEMALE.value for m in members)
        men = len(members) - women
        plans = []
        for day in sorted(held):
            village = self.village(commune.region)
            agenda = "Point de la situation sécuritaire ; " + " ; ".join(
                rng.sample(CCS_AGENDA, rng.randint(1, 2))
            )
            age = (self.today - day).days
            if age > 120:
                statuses = {"done": 16, "in_progress": 3, "pending": 1}
            elif age > 45:
                statuses = {"done": 9, "in_progress": 7, "pending": 4}
            else:
                statuses = {"done": 1, "in_progress": 4, "pending": 5}
            recommendations = tuple(
                RecommendationPlan(
                    _french(text.format(commune=commune.name, village=village)),
                    _french(responsible.format(commune=commune.name, village=village)),
                    RecommendationStatus(_weighted(rng, statuses)).value,
                )
                for text, responsible in rng.sample(CCS_RECOMMENDATIONS, rng.randint(1, 3))
            )
            plans.append(
                MeetingPlan(
                    held_on=day,
                    agenda=agenda,
                    women=rng.randint(1, women + 2),
                    men=rng.randint(max(2, men - 1), men + 5),
                    notes=rng.choice(CCS_NOTES) if rng.random() < 0.4 else None,
                    recommendations=recommendations,
                )
            )
        return tuple(plans)

    # --- activities

    def activities(self, units: Sequence[DemoPoliceUnit], count: int) -> tuple:
        rng = self.rng
        kinds = list(ACTIVITY_PROFILES) if count >= len(ACTIVITY_PROFILES) else []
        kinds += [_weighted(rng, ACTIVITY_WEIGHTS) for _ in range(count - len(kinds))]
        rng.shuffle(kinds)
        weights = [
            sum(p.weight for p in self.places if _within_commune(p, u.commune)) for u in units
        ]
        plans = [
            self.activity(kind, rng.choices(range(len(units)), weights=weights)[0], units)
            for kind in kinds
        ]
        return tuple(sorted(plans, key=lambda a: a.held_on))

    def activity(self, kind: str, index: int, units) -> ActivityPlan:
        rng = self.rng
        unit = units[index]
        commune = self.by_code[unit.commune]
        inside = [p for p in self.places if _within_commune(p, unit.commune)]
        held_on = self.today - timedelta(days=rng.randint(0, MAX_AGE_DAYS))
        linked: list[CasePlan] = []
        if kind in LINKING_ACTIVITIES and rng.random() < 0.6:
            candidates = [
                c
                for c in self.cases
                if _within_commune(c.place, unit.commune) and _links_activity(kind, c)
            ]
            if candidates:
                wanted = 2 if rng.random() < 0.2 else 1
                linked = rng.sample(candidates, min(len(candidates), wanted))
                start = max(c.event_date for c in linked)
                held_on = min(self.today, start + timedelta(days=rng.randint(0, 30)))
        place = linked[0].place if linked else rng.choice(inside)
        words = self.words(place, commune)
        (low, high), women_share, youth_share, duration = ACTIVITY_PROFILES[kind]
        participants = rng.randint(low, high)
        women = round(participants * rng.uniform(*women_share))
        youth = round(participants * rng.uniform(*youth_share))
        alerts = 0
        if kind == "TRANSMISSION_ALERTE":
            alerts = rng.randint(1, 2)
        elif kind == "COLLECTE_RENSEIGNEMENT":
            alerts = rng.randint(0, 2)
        elif kind.startswith("PATROUILLE") and rng.random() < 0.15:
            alerts = rng.randint(1, 2)
        elif rng.random() < 0.04:
            alerts = 1
        created = len(linked) if kind == "MEDIATION_PETIT_LITIGE" else 0
        referred = len(linked) if kind in ("ORIENTATION_FDS", "ASSISTANCE_VICTIME") else 0
        return ActivityPlan(
            activity_type=kind,
            held_on=held_on,
            police_unit=index,
            place=place,
            site=_french(rng.choice(ACTIVITY_SITES[kind]).format(**words)),
            topic=_french(rng.choice(ACTIVITY_TOPICS[kind]).format(**words)),
            duration_minutes=rng.randint(*duration) // 15 * 15,
            participants=participants,
            women=women,
            men=participants - women,
            youth=min(youth, participants),
            alerts_raised=alerts,
            cases_created=created,
            cases_referred=referred,
            notes=rng.choice(ACTIVITY_NOTES) if rng.random() < 0.25 else None,
            case_numbers=tuple(sorted(c.number for c in linked)),
        )

    # --- alerts

    def alerts(self, units: Sequence[DemoPoliceUnit], count: int) -> tuple:
        rng = self.rng
        places = [p for p in self.places if p.region in ALERT_REGIONS]
        if not places or count <= 0:
            return ()
        plans = []
        if count >= 10:
            for commune, category, days in WARNING_RUNS:
                inside = [p for p in places if _within_commune(p, commune)]
                if not inside:
                    continue
                for day in days:
                    plans.append(
                        self.alert(rng.choice(inside), units, category, day, warning_run=True)
                    )
        categories = list(ALERT_CATEGORY_WEIGHTS) if count - len(plans) >= 9 else []
        while len(plans) < count:
            place = _weighted(rng, [(p, p.weight * ALERT_REGIONS[p.region]) for p in places])
            if categories:
                category = categories.pop()
            else:
                factors = REGION_ALERT_FACTOR.get(place.region, {})
                category = _weighted(
                    rng, {c: w * factors.get(c, 1) for c, w in ALERT_CATEGORY_WEIGHTS.items()}
                )
            plans.append(self.alert(place, units, category, rng.randint(1, MAX_AGE_DAYS)))
        plans = self.to_cases(plans, round(count / 10))
        return tuple(sorted(plans, key=lambda a: (a.occurred_at, a.place.code)))

    def alert(self, place, units, category: str, days: int, *, warning_run=False) -> AlertPlan:
        rng = self.rng
        hours = _weighted(rng, ALERT_HOURS)
        occurred = datetime.combine(
            self.today - timedelta(days=days), time(rng.choice(hours), rng.randint(0, 59))
        )
        urgency = _weighted(rng, ALERT_URGENCY.get(category, {1: 4, 2: 4, 3: 1}))
        source = _weighted(rng, {s: weight for s, (weight, _p, _n) in ALERT_SOURCES.items()})
        _weight, prefix, relays = ALERT_SOURCES[source]
        relay = f"{place.region}-{prefix}-{rng.randint(1, relays):03d}" if prefix else None
        words = self.words(place)
        words["n"] = rng.randint(3, 40)
        verified = rng.random() < (0.85 if urgency == 3 else 0.78) or warning_run
        forwarded_to = forwarded_at = response = responded_at = None
        if rng.random() < (0.75 if verified else 0.2):
            forwarded_to = _weighted(rng, FORWARD_TARGETS[category])
            delay = {3: (5, 60), 2: (15, 240), 1: (30, 720)}[urgency]
            forwarded_at = occurred + timedelta(minutes=rng.randint(*delay))
            answer = {3: (20, 360), 2: (60, 1440), 1: (240, 3 * 24 * 60)}[urgency]
            minutes = max(rng.randint(*answer), int((forwarded_at - occurred).seconds / 60) + 10)
            moment = occurred + timedelta(minutes=min(minutes, 3 * 24 * 60))
            if rng.random() < 0.78 and moment < self.horizon:
                response = _french(rng.choice(RESPONSES[forwarded_to]).format(**words))
                responded_at = moment
            if forwarded_at >= self.horizon:
                forwarded_to = forwarded_at = None
        near = [i for i, u in enumerate(units) if _within_commune(place, u.commune)]
        region = [i for i, u in enumerate(units) if u.commune[:3] == place.region]
        police_unit = None
        if near and rng.random() < 0.7:
            police_unit = near[0]
        elif region and rng.random() < 0.3:
            police_unit = rng.choice(region)
        return AlertPlan(
            occurred_at=occurred,
            place=place,
            site=_french(rng.choice(ALERT_SITES[category]).format(**words)),
            category=category,
            urgency=urgency,
            source_type=source,
            relay_code=relay,
            description=_french(rng.choice(ALERT_TEXTS[category]).format(**words)),
            verified=verified,
            forwarded_to=forwarded_to,
            forwarded_at=forwarded_at,
            response=response,
            responded_at=responded_at,
            police_unit=police_unit,
            warning_run=warning_run,
        )

    def to_cases(self, plans: list[AlertPlan], count: int) -> list[AlertPlan]:
        """About one alert in ten becomes a case (mostly mediable disputes, one or two ★),
        preferably a recent one: the case is reported on the day it is opened."""
        rng = self.rng
        usable = [
            i
            for i, a in enumerate(plans)
            if a.place.region in COORDINATED_REGIONS and a.verified and not a.warning_run
        ]
        usable.sort(key=lambda i: plans[i].occurred_at, reverse=True)
        stars = [i for i in usable if plans[i].category in ALERT_STAR_CASES]
        mediable = [i for i in usable if plans[i].category in ALERT_CASES]
        star_count = 0 if count < 2 else (1 if count < 8 else 2)
        chosen = rng.sample(stars[: 2 * star_count], min(star_count, len(stars)))
        wanted = count - len(chosen)
        chosen += rng.sample(mediable[: 2 * wanted], min(wanted, len(mediable)))
        for i in chosen:
            alert = plans[i]
            conflict_type, title = {**ALERT_CASES, **ALERT_STAR_CASES}[alert.category]
            ethnic = self.ethnic(alert.place.region)
            if ethnic in FRACTIONS:
                name, kind = f"Fraction {rng.choice(FRACTIONS[ethnic])}", PartyKind.FRACTION
            else:
                village = self.village(alert.place.region)
                name, kind = _french(f"Communauté de {village}"), PartyKind.COMMUNITY
            plans[i] = replace(
                alert,
                to_case=AlertCasePlan(
                    conflict_type=conflict_type,
                    scope=_weighted(rng, SCOPES[conflict_type]),
                    title=title.format(place=alert.place.name),
                    party_name=name,
                    party_kind=kind.value,
                ),
            )
        return plans


# --- applying the plan ----------------------------------------------------------------------


@dataclass
class DemoResult:
    """What ``seed_demo`` did. Counts are of the rows in the database after seeding
    (users and actors: those created now; follow_ups: visits recorded)."""

    skipped: bool = False
    users: int = 0
    actors: int = 0
    cases: int = 0
    parties: int = 0
    sessions: int = 0
    agreements: int = 0
    referrals: int = 0
    follow_ups: int = 0
    police_units: int = 0
    committees: int = 0
    meetings: int = 0
    activities: int = 0
    alerts: int = 0
    alerts_to_cases: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    # username -> password, for the accounts created now (printed once by the command).
    credentials: dict[str, str] = field(default_factory=dict, repr=False)


class _Staff:
    """The demo users and who records what where."""

    def __init__(self, users: list[User]):
        self.users = users

    def _within(self, unit: AdminUnit, role: str) -> User | None:
        found = [u for u in self.users if u.role == role and u.area and u.area.contains(unit)]
        return max(found, key=lambda u: len(u.area.path), default=None)  # the closest

    def mediator(self, unit: AdminUnit) -> User | None:
        return self._within(unit, Role.MEDIATOR.value)

    def coordinator(self, unit: AdminUnit) -> User | None:
        return self._within(unit, Role.COORDINATOR.value)

    def recorder(self, unit: AdminUnit) -> User:
        user = self.mediator(unit) or self.coordinator(unit)
        if user is None:
            raise RuntimeError(f"No demo user works in {unit.code}.")
        return user

    def policing(self, unit: AdminUnit) -> User:
        """Who records police work there: a focal point, else the area's coordinator."""
        user = self._within(unit, Role.POLICE.value) or self.coordinator(unit)
        if user is None:
            raise RuntimeError(f"No demo user records police work in {unit.code}.")
        return user


def seed_demo(
    *, cases: int = DEFAULT_CASES, seed: int = DEFAULT_SEED, today: date | None = None
) -> DemoResult:
    """Create the demo users, actors and caseload, then the community policing around the
    cases (units, committees and meetings, activities, alerts, some alerts turned into
    cases), through the services (flush only).

    Does nothing when the database already holds a case; the policing part is left out when
    the database already holds policing records. ``today`` (default: the real date; a later
    date is brought back to it) bounds every date of the data.
    """
    if db.session.scalar(sa.select(Case.id).limit(1)) is not None:
        return DemoResult(skipped=True)
    real_today = utcnow().date()
    today = min(today or real_today, real_today)
    seed_units()
    seed_vocabularies()

    result = DemoResult()
    users = _create_users(result)
    staff = _Staff(users)
    actors = _create_actors(result)
    places = tuple(p for p in PLACES if get_unit_by_code(p.code) is not None)
    plan = plan_demo(
        cases, seed, today, follow_up_days=case_services.follow_up_days(), places=places
    )
    units = {p.code: get_unit_by_code(p.code) for p in places}
    # Texts the services write (a recurrence's reason) in the programme's working language.
    with force_locale("fr"):
        cases_by_number = {
            case_plan.number: _apply(case_plan, units[case_plan.place.code], staff, actors)
            for case_plan in plan.cases
        }
        if plan.policing is not None and _policing_is_empty():
            _apply_policing(plan.policing, units, staff, cases_by_number)
    db.session.flush()
    _count(result)
    return result


def _create_users(result: DemoResult) -> list[User]:
    users = []
    for spec in DEMO_USERS:
        area = get_unit_by_code(spec.area_code)
        user = accounts.get_user_by_username(spec.username)
        if user is None:
            password = accounts.generate_password(avoid=spec.username)
            user = accounts.create_user(
                username=spec.username,
                full_name=spec.full_name,
                role=spec.role,
                password=password,
                preferred_language="fr",
            )
            result.credentials[user.username] = password
            result.users += 1
        if user.area_id is None and area is not None:
            user.area_id = area.id
            user.area = area
        users.append(user)
    db.session.flush()
    return users


def _create_actors(result: DemoResult) -> list[Actor]:
    """The registry of actors; an actor already there (same type and name) is reused."""
    existing = {(a.actor_type, a.name): a for a in db.session.scalars(sa.select(Actor))}
    actors = []
    for spec in DEMO_ACTORS:
        actor = existing.get((spec.actor_type, spec.name))
        if actor is None:
            unit = get_unit_by_code(spec.unit_code)
            actor = Actor(
                actor_type=spec.actor_type,
                name=spec.name,
                name_search=fold(spec.name),
                function=spec.function,
                organisation=spec.organisation,
                sex=spec.sex,
                unit_id=unit.id if unit else None,
                trained=spec.trained,
            )
            db.session.add(actor)
            result.actors += 1
        actors.append(actor)
    db.session.flush()
    return actors


def _apply(plan: CasePlan, unit: AdminUnit, staff: _Staff, actors: list[Actor]) -> Case:
    recorder = staff.recorder(unit)
    mediator = staff.mediator(unit)
    supervisor = staff.coordinator(unit) or recorder
    worker = mediator or recorder
    data = case_services.CaseData(
        unit_id=unit.id,
        event_date=plan.event_date,
        reported_on=plan.reported_on,
        channel=plan.channel,
        conflict_type=plan.conflict_type,
        scope=plan.scope,
        title=plan.title,
        narrative=plan.narrative,
        narrative_lang=plan.narrative_lang,
        persons_affected=plan.persons_affected,
        deaths=plan.deaths,
        injuries_serious=plan.injuries_serious,
        injuries_minor=plan.injuries_minor,
        damage_text=plan.damage_text,
        damage_fcfa=plan.damage_fcfa,
        livestock_heads=plan.livestock_heads,
        confidentiality=plan.confidentiality,
        assigned_mediator_id=mediator.id if mediator else None,
    )
    parties = [
        case_services.PartyData(
            role=p.role,
            name=p.name,
            kind=p.kind,
            sex=p.sex,
            age_band=p.age_band,
            livelihood=p.livelihood,
            community=p.community,
            # Those who did not consent at intake were not asked yet (see the referral step).
            consent_to_share=p.consent_to_share or None,
        )
        for p in plan.parties
    ]
    case = case_services.register_case(data, parties, recorder)
    if plan.translation:
        case_services.translate_narrative(case, plan.translation, worker)
    party_ids = [party.id for party in case.parties]
    agreement = referral = None
    for step in plan.steps:
        info = step.data
        if step.kind == "register":
            case_services.transition(case, S.ENREGISTRE, recorder)
        elif step.kind == "mediate":
            case_services.transition(case, S.EN_MEDIATION, worker)
        elif step.kind == "session":
            case_services.record_session(
                case,
                case_services.SessionData(
                    held_on=step.on,
                    place=info["place"],
                    mechanism=info["mechanism"],
                    result=info["result"],
                    women=info["women"],
                    men=info["men"],
                    youth=info["youth"],
                    minutes=info["minutes"],
                    minutes_lang=info["minutes_lang"],
                    # Those the form would offer the worker: the registry of their area.
                    actor_ids=[
                        actors[i].id
                        for i in info["actors"]
                        if actors[i].unit is None or in_area(worker, actors[i].unit)
                    ],
                    private_notes={party_ids[i]: note for i, note in info["notes"].items()},
                ),
                worker,
            )
        elif step.kind == "escalate":
            case_services.escalate(case, worker, info["reason"])
        elif step.kind == "agreement":
            agreement = case_services.record_agreement(
                case,
                case_services.AgreementData(
                    concluded_on=step.on,
                    form=info["form"],
                    outcome=info["outcome"],
                    compensation_fcfa=info["compensation_fcfa"],
                    livestock_heads=info["livestock_heads"],
                    restitution=info["restitution"],
                    signatories=info["signatories"],
                    witnesses=info["witnesses"],
                    terms=[
                        case_services.TermData(
                            description=description,
                            obliged_party_id=party_ids[obliged] if obliged is not None else None,
                            due_on=step.on + timedelta(days=days) if days else None,
                        )
                        for description, obliged, days in info["terms"]
                    ],
                ),
                worker,
            )
        elif step.kind == "visit":
            follow_ups = db.session.scalars(
                sa.select(FollowUp)
                .where(FollowUp.agreement_id == agreement.id)
                .order_by(FollowUp.due_on, FollowUp.id)
            ).all()
            recurrence = case_services.record_follow_up(
                follow_ups[info["index"]],
                case_services.FollowUpData(
                    done_on=step.on, compliance=info["compliance"], notes=info["notes"]
                ),
                worker,
            )
            if recurrence is not None and info["register_recurrence"]:
                case_services.transition(recurrence, S.ENREGISTRE, recorder)
        elif step.kind == "refer":
            override = _consent_for_referral(case, info, worker)
            referral = case_services.record_referral(
                case,
                case_services.ReferralData(
                    referred_on=step.on,
                    target=info["target"],
                    reason=info["reason"],
                    from_institution=info["from_institution"],
                    emergency_override=override is not None,
                    override_reason=override,
                ),
                worker,
            )
        elif step.kind == "feedback":
            case_services.record_referral_feedback(
                referral,
                feedback_on=step.on,
                feedback=info["feedback"],
                result=info["result"],
                by=worker,
                back_to_level=info["back_to_level"],
            )
        elif step.kind == "civil_case":
            civil = case_services.open_linked_case(
                case,
                supervisor,
                conflict_type=info["conflict_type"],
                title=info["title"],
                on=step.on,
            )
            if info["register"]:
                case_services.transition(civil, S.ENREGISTRE, recorder)
                if info["mediate"]:
                    case_services.transition(civil, S.EN_MEDIATION, worker)
        elif step.kind == "suspend":
            case_services.transition(case, S.SUSPENDU, supervisor, reason=info["reason"])
        elif step.kind == "resume":
            case_services.transition(
                case, CaseStatus(case.suspended_from), supervisor, reason=info["reason"]
            )
        elif step.kind in ("close", "drop"):
            case_services.transition(
                case,
                info["status"],
                supervisor,
                reason=info["reason"],
                outcome=info["outcome"],
                on=step.on,
            )
        else:  # pragma: no cover
            raise ValueError(step.kind)
    return case


def _policing_is_empty() -> bool:
    """Demo policing data goes only into a database without any policing record."""
    return all(
        db.session.scalar(sa.select(model.id).limit(1)) is None
        for model in (PoliceUnit, SecurityCommittee, Activity, Alert)
    )


def _apply_policing(
    plan: PolicingPlan,
    units: dict[str, AdminUnit],
    staff: _Staff,
    cases_by_number: dict[int, Case],
) -> None:
    """Units, committees with their meetings, activities and alerts, through the policing
    services; some alerts become cases (``alert_to_case``, by the area's coordinator)."""
    users = {user.username: user for user in staff.users}
    police_units: list[PoliceUnit] = []
    unit_recorders: list[User] = []  # the focal point, or who records police work there
    for spec in plan.units:
        area = units[spec.commune]
        focal = users.get(spec.focal_point) if spec.focal_point else None
        if focal is not None and focal.role != Role.POLICE.value:
            focal = None
        unit_recorders.append(focal or staff.policing(area))
        police_units.append(
            policing.save_police_unit(
                policing.PoliceUnitData(
                    name=spec.name,
                    force=spec.force,
                    unit_id=area.id,
                    focal_point_id=focal.id if focal else None,
                ),
                unit_recorders[-1],
            )
        )

    for committee_plan in plan.committees:
        area = units[committee_plan.commune.code]
        recorder = staff.policing(area)
        committee = policing.save_committee(
            policing.CommitteeData(
                name=committee_plan.name,
                unit_id=area.id,
                chair=committee_plan.chair,
                monthly_target=1,
            ),
            recorder,
        )
        for member in committee_plan.members:
            policing.save_member(
                committee, policing.MemberData(member.name, member.function, member.sex)
            )
        for meeting_plan in committee_plan.meetings:
            meeting = policing.save_meeting(
                committee,
                policing.MeetingData(
                    held_on=meeting_plan.held_on,
                    agenda=meeting_plan.agenda,
                    women=meeting_plan.women,
                    men=meeting_plan.men,
                    notes=meeting_plan.notes,
                    recommendations=[
                        policing.RecommendationData(text=r.text, responsible=r.responsible)
                        for r in meeting_plan.recommendations
                    ],
                ),
                recorder,
            )
            # Recommendations are pending when made; their follow-up moved some on since.
            for row, wanted in zip(
                meeting.recommendations, meeting_plan.recommendations, strict=True
            ):
                if wanted.status != row.status:
                    policing.set_recommendation_status(row, wanted.status)

    for activity in plan.activities:
        police_unit = police_units[activity.police_unit]
        area = units[activity.place.code]
        policing.save_activity(
            policing.ActivityData(
                activity_type=activity.activity_type,
                held_on=activity.held_on,
                police_unit_id=police_unit.id,
                unit_id=area.id,
                topic=activity.topic,
                duration_minutes=activity.duration_minutes,
                place=activity.site,
                participants=activity.participants,
                women=activity.women,
                men=activity.men,
                youth=activity.youth,
                alerts_raised=activity.alerts_raised,
                cases_created=activity.cases_created,
                cases_referred=activity.cases_referred,
                notes=activity.notes,
                case_references=[
                    cases_by_number[number].reference
                    for number in activity.case_numbers
                    if number in cases_by_number
                ],
            ),
            unit_recorders[activity.police_unit],
        )

    now = utcnow()

    def moment(value):  # the plan keeps times before today; this keeps them before now
        return min(policing.from_local(value), now) if value is not None else None

    for alert_plan in plan.alerts:
        area = units[alert_plan.place.code]
        police_unit = (
            police_units[alert_plan.police_unit] if alert_plan.police_unit is not None else None
        )
        alert = policing.save_alert(
            policing.AlertData(
                occurred_at=moment(alert_plan.occurred_at),
                unit_id=area.id,
                category=alert_plan.category,
                urgency=alert_plan.urgency,
                source_type=alert_plan.source_type,
                description=alert_plan.description,
                place=alert_plan.site,
                relay_code=alert_plan.relay_code,
                verified=alert_plan.verified,
                forwarded_to=alert_plan.forwarded_to,
                forwarded_at=moment(alert_plan.forwarded_at),
                response=alert_plan.response,
                responded_at=moment(alert_plan.responded_at),
                police_unit_id=police_unit.id if police_unit else None,
            ),
            staff.policing(area),
        )
        coordinator = staff.coordinator(area)
        if alert_plan.to_case is not None and coordinator is not None:
            policing.alert_to_case(
                alert,
                policing.AlertCaseData(
                    conflict_type=alert_plan.to_case.conflict_type,
                    scope=alert_plan.to_case.scope,
                    title=alert_plan.to_case.title,
                    party_name=alert_plan.to_case.party_name,
                    party_kind=alert_plan.to_case.party_kind,
                ),
                coordinator,
            )


def _count(result: DemoResult) -> None:
    def count(statement) -> int:
        return db.session.scalar(statement) or 0

    result.cases = count(sa.select(sa.func.count(Case.id)))
    result.parties = count(sa.select(sa.func.count(Party.id)))
    result.sessions = count(sa.select(sa.func.count(MediationSession.id)))
    result.agreements = count(sa.select(sa.func.count(Agreement.id)))
    result.referrals = count(sa.select(sa.func.count(Referral.id)))
    result.follow_ups = count(
        sa.select(sa.func.count(FollowUp.id)).where(FollowUp.done_on.is_not(None))
    )
    result.police_units = count(sa.select(sa.func.count(PoliceUnit.id)))
    result.committees = count(sa.select(sa.func.count(SecurityCommittee.id)))
    result.meetings = count(sa.select(sa.func.count(CommitteeMeeting.id)))
    result.activities = count(sa.select(sa.func.count(Activity.id)))
    result.alerts = count(sa.select(sa.func.count(Alert.id)))
    result.alerts_to_cases = count(
        sa.select(sa.func.count(Alert.id)).where(Alert.case_id.is_not(None))
    )
    statement = sa.select(Case.status, sa.func.count(Case.id)).group_by(Case.status)
    rows = {status: number for status, number in db.session.execute(statement)}
    result.by_status = {status.value: rows.get(status.value, 0) for status in CaseStatus}


# --- the command ----------------------------------------------------------------------------


@click.command("seed")
@click.option("--cases", default=DEFAULT_CASES, show_default=True, type=click.IntRange(min=0))
@click.option("--seed", default=DEFAULT_SEED, show_default=True, type=int)
@with_appcontext
def seed_command(cases: int, seed: int):
    """Create demo users, actors and cases (only in a database without any case)."""
    result = seed_demo(cases=cases, seed=seed)
    if result.skipped:
        click.echo("Demo cases: the database already has cases, nothing was added.")
        return
    db.session.commit()
    click.echo(
        f"Demo data: {result.cases} cases, {result.parties} parties, {result.actors} actors, "
        f"{result.sessions} sessions, {result.agreements} agreements, "
        f"{result.referrals} referrals, {result.follow_ups} follow-up visits."
    )
    click.echo(
        "By status: " + ", ".join(f"{s} {n}" for s, n in result.by_status.items() if n) + "."
    )
    click.echo(
        f"Community policing: {result.police_units} units, {result.committees} security "
        f"committees, {result.meetings} committee meetings, {result.activities} activities, "
        f"{result.alerts} alerts ({result.alerts_to_cases} turned into cases)."
    )
    if not result.credentials:
        click.echo("Demo users existed already (their passwords were printed when created).")
        return
    line = "=" * 64
    click.echo(f"{line}\nDemo users (each password is printed once, now: keep it):\n")
    for spec in DEMO_USERS:
        password = result.credentials.get(spec.username)
        if password:
            click.echo(
                f"    {spec.username:<22} {spec.role:<12} {spec.area_code:<8} password: {password}"
            )
    click.echo(line)
