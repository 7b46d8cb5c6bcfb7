"""The vocabularies, weights and texts the generated data draws from."""

from __future__ import annotations

import random

from casework.cases.states import CaseStatus

# Bump when the data produced for a seed changes: bench databases are keyed by it.
GENERATOR_VERSION = 2
DEFAULT_SEED = 2026
CHUNK = 5_000
S = CaseStatus

# --- vocabularies of the generated data -----------------------------------------------------

CONFLICT_WEIGHTS = {
    "FONCIER": 16, "EAU_PUITS": 8, "PATURAGE": 12, "TRANSHUMANCE": 7, "DEGATS_CHAMPETRES": 12,
    "VOL_BETAIL": 8, "SUCCESSION": 7, "MATRIMONIAL": 8, "CHEFFERIE": 3,
    "INTERCOMMUNAUTAIRE": 4, "DETTE_COMMERCE": 6, "RELIGIEUX": 1, "POLITIQUE": 1,
    "BANDITISME": 3, "TRAFIC": 1.5, "GROUPE_ARME": 1, "VBG": 2.5,
}  # fmt: skip
STAR_TYPES = frozenset({"BANDITISME", "TRAFIC", "GROUPE_ARME", "VBG"})
# The species of the livestock terms of agreements (cattle most often).
TERM_SPECIES = ("cattle", "cattle", "small_ruminants", "small_ruminants", "camels")
REGION_WEIGHTS = {"GAO": 30, "TBK": 28, "MNK": 14, "KDL": 10, "MPT": 18}
KIND_WEIGHTS = {"commune": 6, "quartier": 2, "village": 2, "cercle": 0.3}
CHANNELS = {
    "PLAINTE_DIRECTE": 40, "CHEF_VILLAGE": 25, "RELAIS_COMMUNAUTAIRE": 12,
    "POLICE_PROXIMITE": 8, "ALERTE": 5, "FDS": 5, "AUTRE": 5,
}  # fmt: skip
SCOPES = {
    "INTRA_FAMILIAL": 25, "INTRACOMMUNAUTAIRE": 45, "INTERCOMMUNAUTAIRE": 22,
    "COMMUNAUTE_ETAT": 5, "TRANSFRONTALIER": 3,
}  # fmt: skip
LIVELIHOODS = ("AGRICULTEUR", "ELEVEUR", "AGRO_PASTEUR", "PECHEUR", "COMMERCANT", "ARTISAN")
MECHANISMS = {
    0: ("AMIABLE",),
    1: ("PALABRE", "COUSINAGE_PLAISANTERIE", "MEDIATION_TIERCE"),
    2: ("CONCILIATION_CHEF", "ARBITRAGE_RELIGIEUX", "PALABRE"),
    3: ("COFO_CONCILIATION", "CCS_CONCERTATION"),
    4: ("ADMINISTRATIF",),
}
PLACES_BY_LEVEL = {
    0: ("SUR_LE_TERRAIN", "AUTRE"),
    1: ("ARBRE_PALABRE", "VESTIBULE_CHEF"),
    2: ("VESTIBULE_CHEF", "MOSQUEE", "ARBRE_PALABRE"),
    3: ("MAIRIE",),
    4: ("SOUS_PREFECTURE",),
}
ACTOR_TYPES_BY_LEVEL = {
    0: ("NOTABLE",),
    1: ("NOTABLE", "GRIOT", "PARENT_PLAISANTERIE"),
    2: ("CHEF_VILLAGE", "CHEF_FRACTION", "CADI", "IMAM"),
    3: ("MAIRE", "MEMBRE_COFO", "MEMBRE_CCS"),
    4: ("SOUS_PREFET", "PREFET"),
}
CRIME_TARGETS = ("GENDARMERIE", "POLICE", "PROCUREUR", "TPI", "GARDE_NATIONALE")
CIVIL_TARGETS = ("JPCE", "TPI", "CADI", "SOUS_PREFET", "COFO")
ACTIVITY_TYPES = (
    "PATROUILLE_PEDESTRE", "PATROUILLE_MOTORISEE", "PATROUILLE_MIXTE", "SENSIBILISATION",
    "REUNION_CCS", "TABLE_CONCERTATION", "DIAGNOSTIC_SECURITE", "VISITE_AUTORITES",
    "COLLECTE_RENSEIGNEMENT", "TRANSMISSION_ALERTE", "MEDIATION_PETIT_LITIGE",
    "ACTIVITE_COHESION",
)  # fmt: skip
ALERT_CATEGORIES = {
    "TENSION_INTERCOMMUNAUTAIRE": 20, "MOUVEMENT_ARME": 12, "TRAFIC": 8, "BANDITISME": 20,
    "ENLEVEMENT": 4, "ENGIN_EXPLOSIF": 4, "VOL_BETAIL": 18, "TRANSHUMANCE_CONFLICTUELLE": 10,
    "RUMEUR_INCITATION": 4,
}  # fmt: skip
ALERT_SOURCES = ("RELAIS_COMMUNAUTAIRE", "CHEF", "FDS", "AUTORITE_ADMINISTRATIVE", "PATROUILLE")
FORCES = ("police", "gendarmerie", "garde_nationale", "mixed")

GIVEN_M = (
    "Alassane", "Boubacar", "Mahamane", "Ousmane", "Abdoulaye", "Issa", "Souleymane", "Hamidou",
    "Garba", "Mahamadou", "Yéhia", "Oumarou", "Moussa", "Hamadoun", "Amadou", "Sékou",
    "Mohamed", "Alhassane", "Attaher", "Bilal", "Ibrahim", "Intalla", "Elmoctar", "Sidi",
    "Moulaye", "Bakary", "Seydou", "Drissa", "Modibo", "Ogobara", "Yacouba", "Sory",
)  # fmt: skip
GIVEN_F = (
    "Aïssata", "Fatouma", "Mariam", "Haoua", "Kadidia", "Zeinabou", "Safiatou", "Ramata",
    "Fatimata", "Kadiatou", "Djénéba", "Hawa", "Oumou", "Fadimata", "Tina", "Takiya",
    "Aminatou", "Lalla", "Khadija", "Aïcha", "Assitan", "Bintou", "Nana", "Yabarou",
)  # fmt: skip
SURNAMES = (
    "Maïga", "Touré", "Cissé", "Haïdara", "Djitteye", "Arby", "Yattara", "Baby", "Koïna",
    "Diallo", "Barry", "Sow", "Dicko", "Bah", "Sidibé", "Sangaré", "Tamboura", "Boly",
    "Ag Intalla", "Ag Alhassane", "Ag Attaher", "Walet Mohamed", "Ould Sidi", "Ould Bady",
    "Traoré", "Coulibaly", "Keïta", "Diarra", "Konaté", "Guindo", "Dolo", "Togo", "Kanta",
    "Djénépo", "Nientao", "Ag Akly", "Ag Bibi", "Walet Intahmadou", "Ould Hamma", "Dembélé",
)  # fmt: skip
GROUPS = (
    "famille {s}", "fraction Kel Essouk", "fraction Imghad", "fraction Daoussahak",
    "fraction Kel Ansar", "village de {p}", "quartier {p}", "association des éleveurs de {p}",
    "coopérative des femmes de {p}", "famille {s}",
)  # fmt: skip
TYPE_TEXTS = {
    "FONCIER": ("Litige foncier", "la limite d'un champ"),
    "EAU_PUITS": ("Accès au puits", "l'accès au puits pastoral"),
    "PATURAGE": ("Pâturage", "l'accès à la bourgoutière"),
    "TRANSHUMANCE": ("Couloir de transhumance", "le passage des troupeaux"),
    "DEGATS_CHAMPETRES": ("Dégâts champêtres", "des dégâts causés par des animaux"),
    "VOL_BETAIL": ("Vol de bétail", "la disparition de plusieurs têtes de bétail"),
    "SUCCESSION": ("Succession", "le partage d'un héritage"),
    "MATRIMONIAL": ("Litige familial", "une séparation et la garde des enfants"),
    "CHEFFERIE": ("Chefferie", "la succession à la chefferie"),
    "INTERCOMMUNAUTAIRE": ("Tension intercommunautaire", "des accrochages entre communautés"),
    "DETTE_COMMERCE": ("Dette commerciale", "une dette non remboursée au marché"),
    "RELIGIEUX": ("Conflit religieux", "la gestion de la mosquée"),
    "POLITIQUE": ("Conflit politique", "la désignation des conseillers"),
    "BANDITISME": ("Braquage", "un braquage sur la route"),
    "TRAFIC": ("Trafic", "un trafic de marchandises"),
    "GROUPE_ARME": ("Groupe armé", "des menaces d'hommes armés"),
    "VBG": ("Violence basée sur le genre", "des violences contre une femme"),
}
NARRATIVE_TAIL = (
    "Les deux parties ont été entendues séparément.",
    "Le chef de village a demandé l'intervention des notables.",
    "La situation reste tendue depuis la dernière saison des pluies.",
    "Des témoins confirment les faits rapportés.",
    "Les familles souhaitent un règlement à l'amiable.",
    "Le relais communautaire a signalé l'affaire le lendemain.",
)
TRANSLATION_TAIL = (
    "Both parties were heard separately.",
    "The village chief asked the elders to step in.",
    "Tension has remained high since the last rainy season.",
    "Witnesses confirm the facts reported.",
)


def _weighted(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]
