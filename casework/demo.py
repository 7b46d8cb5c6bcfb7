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
from dataclasses import dataclass, field
from datetime import date, timedelta

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import force_locale

from casework.auth import services as accounts
from casework.auth.models import User
from casework.auth.roles import Role
from casework.cases import services as case_services
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


def plan_demo(
    cases: int = DEFAULT_CASES,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    *,
    follow_up_days: Sequence[int] = DEFAULT_FOLLOW_UP_DAYS,
    places: Sequence[DemoPlace] = PLACES,
) -> DemoPlan:
    """The demonstration caseload: a pure function of its arguments (no database)."""
    today = today or utcnow().date()
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    planner = _Planner(rng, today, tuple(sorted(follow_up_days)), places)
    return DemoPlan(today, tuple(planner.plan(cases)))


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
        data = {"target": target, "reason": reason, "from_institution": _french(source)}
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


def seed_demo(
    *, cases: int = DEFAULT_CASES, seed: int = DEFAULT_SEED, today: date | None = None
) -> DemoResult:
    """Create the demo users, actors and caseload, through the services (flush only).

    Does nothing when the database already holds a case. ``today`` (default: the real
    date; a later date is brought back to it) bounds every date of the data.
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
        for case_plan in plan.cases:
            _apply(case_plan, units[case_plan.place.code], staff, actors)
    db.session.flush()
    _count(result)
    return result


def _create_users(result: DemoResult) -> list[User]:
    users = []
    for spec in DEMO_USERS:
        area = get_unit_by_code(spec.area_code)
        user = accounts.get_user_by_username(spec.username)
        if user is None:
            password = accounts.generate_password()
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
            consent_to_share=p.consent_to_share,
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
                    actor_ids=[actors[i].id for i in info["actors"]],
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
            referral = case_services.record_referral(
                case,
                case_services.ReferralData(
                    referred_on=step.on,
                    target=info["target"],
                    reason=info["reason"],
                    from_institution=info["from_institution"],
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
