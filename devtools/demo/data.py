"""The Russian Thaw demo programme: the facts of the seed page and of the films around it.

English texts of the programme and the opening night follow the Eye page the project started
from; the Dutch texts are our own. Film facts (years, runtimes, credits) are public record.
"""

PROGRAMME = {
    "slug_nl": "russische-dooi",
    "slug_en": "russian-thaw",
    "title_nl": "Russische Dooi",
    "title_en": "Russian Thaw",
    "subtitle_nl": "Sovjet nieuwe golf 1957 – 1968",
    "subtitle_en": "Soviet New Wave 1957 – 1968",
    "intro_nl": (
        "Rusland, 2021: na de zoveelste verkiezingsoverwinning van Poetin lijken hervormingen "
        "verder weg dan ooit. Hoe anders was het eind jaren vijftig, toen Nikita Chroesjtsjov, "
        "na de dood van Stalin de nieuwe leider van de Sovjet-Unie, aanzette tot verandering. "
        "Die periode, die de ‘dooi’ zou gaan heten, bracht klassiekers voort als Ballade van een "
        "soldaat (1959, Grigori Tsjoechraj) en Als de kraanvogels overvliegen (1957, Michail "
        "Kalatozov); ook een nieuwe generatie filmmakers (Tarkovski, Sjepitko) stapte in de "
        "schijnwerpers."
    ),
    "intro_en": (
        "Russia, 2021: in the wake of Putin’s latest election victory, reforms seem further away "
        "than ever. How different things were in the late 1950s, when Nikita Khrushchev, the "
        "Soviet Union’s new leader following the death of Stalin, gave an impulse for change. "
        "This period, which came to be known as the ‘thaw’, gave rise to classics such as Ballad "
        "of a Soldier (1959, Grigorii Chukhrai) and The Cranes Are Flying (1957, Michail "
        "Kalatozov); a new generation of filmmakers (Tarkovsky, Shepitko) also stepped into the "
        "spotlight."
    ),
    "body_nl": (
        "Het programma toont de films van de dooi in gerestaureerde kopieën: oorlogsdrama’s die "
        "het individu boven de heldenmythe stellen, stadsfilms vol jonge mensen die hun eigen weg "
        "zoeken, en de eerste werken van makers die de Sovjetcinema voorgoed zouden veranderen."
    ),
    "body_en": (
        "The programme shows the films of the thaw in restored copies: war dramas that put the "
        "individual before the heroic myth, city films full of young people finding their own "
        "way, and the first works of makers who would change Soviet cinema for good."
    ),
    "campaign_image_alt_nl": (
        "Campagnebeeld Russische Dooi: grafische vlakken in rood, crème en zwart met de titel in het Nederlands en het Engels"
    ),
    "campaign_image_alt_en": (
        "Campaign image Russian Thaw: graphic planes in red, cream and black with the title in Dutch and English"
    ),
}

# name, slug
PEOPLE = {
    "kalatozov": "Mikhail Kalatozov",
    "urusevsky": "Sergei Urusevsky",
    "rozov": "Viktor Rozov",
    "vainberg": "Moisei Vainberg",
    "samoilova": "Tatiana Samoilova",
    "batalov": "Aleksei Batalov",
    "merkuryev": "Vasili Merkuryev",
    "shvorin": "Aleksandr Shvorin",
    "chukhrai": "Grigori Chukhrai",
    "yezhov": "Valentin Yezhov",
    "nikolayev": "Vladimir Nikolayev",
    "savelyeva": "Era Savelyeva",
    "ivashov": "Vladimir Ivashov",
    "prokhorenko": "Zhanna Prokhorenko",
    "khutsiev": "Marlen Khutsiev",
    "shpalikov": "Gennadi Shpalikov",
    "pilikhina": "Margarita Pilikhina",
    "popov": "Valentin Popov",
    "gubenko": "Nikolai Gubenko",
    "lyubshin": "Stanislav Lyubshin",
    "tarkovsky": "Andrei Tarkovsky",
    "yusov": "Vadim Yusov",
    "ovchinnikov": "Vyacheslav Ovchinnikov",
    "burlyayev": "Nikolai Burlyayev",
    "konchalovsky": "Andrei Konchalovsky",
    "solonitsyn": "Anatoli Solonitsyn",
    "shepitko": "Larisa Shepitko",
    "ryazantseva": "Natalya Ryazantseva",
    "slabnevich": "Igor Slabnevich",
    "bulgakova": "Maya Bulgakova",
    "yevtushenko": "Yevgeni Yevtushenko",
    "parajanov": "Sergei Parajanov",
    "ilyenko": "Yuri Ilyenko",
    "mykolaichuk": "Ivan Mykolaichuk",
    "kadochnikova": "Larisa Kadochnikova",
    "klimov": "Elem Klimov",
    "kosykh": "Viktor Kosykh",
    "yevstigneyev": "Yevgeni Yevstigneyev",
    "targan-mouravi": "Nina Targan Mouravi",
    "de-ruiter": "Martin de Ruiter",
    "fateev": "Oleg Fateev",
}

CRANES = "the-cranes-are-flying"

# Each film: facts, texts in both languages, and credits as (role, person key, character).
FILMS = [
    {
        "slug_en": CRANES,
        "slug_nl": "als-de-kraanvogels-overvliegen",
        "title_en": "The Cranes Are Flying",
        "title_nl": "Als de kraanvogels overvliegen",
        "original_title": "Letyat zhuravli",
        "year": 1957,
        "countries": ["SU"],
        "runtime": 97,
        "spoken_languages": "ru",
        "age_rating": "12",
        "synopsis_en": (
            "A young couple are separated when the Germans invade the Soviet Union. He joins up "
            "and goes off to fight – but what does the war mean for those left at home?"
        ),
        "synopsis_nl": (
            "Een jong stel raakt van elkaar gescheiden wanneer Duitsland de Sovjet-Unie binnenvalt. "
            "Hij meldt zich aan en trekt naar het front – maar wat betekent de oorlog voor wie "
            "thuisblijft?"
        ),
        "description_en": (
            "Director Mikhail Kalatozov ditches the propaganda and focuses instead on individual "
            "emotions. This is what makes this film about a tragic love story during World War II "
            "unique within Soviet cinema.\n\n"
            "Kalatozov’s new filmic language, full of surprising camera positions, paved the way "
            "for young, innovative cineastes such as Marlen Khutsiev and Andrei Tarkovsky. Thanks "
            "also to the superior photography by cameraman Sergei Urusevsky in the wide-format "
            "Sovscope, it has become a real classic."
        ),
        "description_nl": (
            "Regisseur Michail Kalatozov laat de propaganda links liggen en richt zich op de "
            "gevoelens van mensen. Dat maakt deze film over een tragische liefde in de Tweede "
            "Wereldoorlog uniek binnen de Sovjetcinema.\n\n"
            "Kalatozovs nieuwe filmtaal, vol verrassende camerastandpunten, effende het pad voor "
            "jonge, vernieuwende makers als Marlen Choetsijev en Andrej Tarkovski. Mede dankzij het "
            "meesterlijke camerawerk van Sergej Oeroesevski in het breedbeeldformaat Sovscope is "
            "de film een echte klassieker geworden."
        ),
        "restoration_note_en": "Digital restoration by Mosfilm.",
        "restoration_note_nl": "Digitale restauratie door Mosfilm.",
        "credits": [
            ("director", "kalatozov", ""),
            ("screenplay", "rozov", ""),
            ("cinematographer", "urusevsky", ""),
            ("composer", "vainberg", ""),
            ("cast", "samoilova", "Veronika"),
            ("cast", "batalov", "Boris"),
            ("cast", "merkuryev", "Fyodor Ivanovich"),
            ("cast", "shvorin", "Mark"),
        ],
    },
    {
        "slug_en": "ballad-of-a-soldier",
        "slug_nl": "ballade-van-een-soldaat",
        "title_en": "Ballad of a Soldier",
        "title_nl": "Ballade van een soldaat",
        "original_title": "Ballada o soldate",
        "year": 1959,
        "countries": ["SU"],
        "runtime": 88,
        "spoken_languages": "ru",
        "age_rating": "12",
        "synopsis_en": (
            "For knocking out two tanks, the young signaller Alyosha is given a few days’ leave to "
            "visit his mother. The journey home through a country at war keeps delaying him."
        ),
        "synopsis_nl": (
            "Omdat hij twee tanks uitschakelde, krijgt de jonge verbindingssoldaat Aljosja een paar "
            "dagen verlof om zijn moeder te bezoeken. De reis door een land in oorlog houdt hem "
            "steeds weer op."
        ),
        "credits": [
            ("director", "chukhrai", ""),
            ("screenplay", "yezhov", ""),
            ("screenplay", "chukhrai", ""),
            ("cinematographer", "nikolayev", ""),
            ("cinematographer", "savelyeva", ""),
            ("cast", "ivashov", "Alyosha Skvortsov"),
            ("cast", "prokhorenko", "Shura"),
        ],
    },
    {
        "slug_en": "i-am-twenty",
        "slug_nl": "ik-ben-twintig",
        "title_en": "I Am Twenty",
        "title_nl": "Ik ben twintig",
        "original_title": "Mne dvadtsat let",
        "year": 1965,
        "countries": ["SU"],
        "runtime": 175,
        "spoken_languages": "ru",
        "age_rating": "12",
        "synopsis_en": (
            "Three friends in their twenties drift through Moscow, looking for work, love and an "
            "answer to how one should live; a poetry evening at the Polytechnic Museum becomes the "
            "voice of a generation."
        ),
        "synopsis_nl": (
            "Drie vrienden van begin twintig zwerven door Moskou, op zoek naar werk, liefde en een "
            "antwoord op de vraag hoe je moet leven; een poëzieavond in het Polytechnisch Museum "
            "wordt de stem van een generatie."
        ),
        "restoration_note_en": "The complete version, restored as Ilyich’s Gate.",
        "restoration_note_nl": "De volledige versie, gerestaureerd als Zastava Iljitsja.",
        "credits": [
            ("director", "khutsiev", ""),
            ("screenplay", "shpalikov", ""),
            ("screenplay", "khutsiev", ""),
            ("cinematographer", "pilikhina", ""),
            ("cast", "popov", "Sergei"),
            ("cast", "gubenko", "Kolya"),
            ("cast", "lyubshin", "Slava"),
        ],
    },
    {
        "slug_en": "ivans-childhood",
        "slug_nl": "de-jeugd-van-ivan",
        "title_en": "Ivan’s Childhood",
        "title_nl": "De jeugd van Ivan",
        "original_title": "Ivanovo detstvo",
        "year": 1962,
        "countries": ["SU"],
        "runtime": 95,
        "spoken_languages": "ru",
        "age_rating": "12",
        "synopsis_en": (
            "Twelve-year-old Ivan scouts behind German lines for the Red Army, haunted by dreams "
            "of the summer before the war. Andrei Tarkovsky’s first feature won the Golden Lion "
            "in Venice."
        ),
        "synopsis_nl": (
            "De twaalfjarige Ivan verkent voor het Rode Leger het gebied achter de Duitse linies, "
            "achtervolgd door dromen van de zomer voor de oorlog. Andrej Tarkovski’s debuut won de "
            "Gouden Leeuw in Venetië."
        ),
        "credits": [
            ("director", "tarkovsky", ""),
            ("cinematographer", "yusov", ""),
            ("composer", "ovchinnikov", ""),
            ("cast", "burlyayev", "Ivan"),
        ],
    },
    {
        "slug_en": "wings",
        "slug_nl": "vleugels",
        "title_en": "Wings",
        "title_nl": "Vleugels",
        "original_title": "Krylya",
        "year": 1966,
        "countries": ["SU"],
        "runtime": 85,
        "spoken_languages": "ru",
        "age_rating": "12",
        "synopsis_en": (
            "Nadezhda was a celebrated fighter pilot in the war; now she runs a school in a "
            "provincial town and cannot find her place in peacetime. Larisa Shepitko’s portrait "
            "of a woman out of her time."
        ),
        "synopsis_nl": (
            "Nadezjda was in de oorlog een gevierde gevechtspiloot; nu leidt ze een school in een "
            "provinciestad en vindt ze haar plek niet in vredestijd. Larisa Sjepitko’s portret van "
            "een vrouw die uit haar tijd is geraakt."
        ),
        "credits": [
            ("director", "shepitko", ""),
            ("screenplay", "yezhov", ""),
            ("screenplay", "ryazantseva", ""),
            ("cinematographer", "slabnevich", ""),
            ("cast", "bulgakova", "Nadezhda Petrukhina"),
        ],
    },
    {
        "slug_en": "i-am-cuba",
        "slug_nl": "soy-cuba",
        "title_en": "I Am Cuba",
        "title_nl": "Soy Cuba",
        "original_title": "Ya – Kuba",
        "year": 1964,
        "countries": ["SU", "CU"],
        "runtime": 141,
        "spoken_languages": "es,ru",
        "age_rating": "12",
        "synopsis_en": (
            "Four stories of Cuba before the revolution, filmed by Kalatozov and Urusevsky with "
            "long, floating takes that still leave audiences breathless."
        ),
        "synopsis_nl": (
            "Vier verhalen uit Cuba vóór de revolutie, gefilmd door Kalatozov en Oeroesevski in "
            "lange, zwevende shots die het publiek nog altijd de adem benemen."
        ),
        "credits": [
            ("director", "kalatozov", ""),
            ("screenplay", "yevtushenko", ""),
            ("cinematographer", "urusevsky", ""),
        ],
    },
    {
        "slug_en": "andrei-rublev",
        "slug_nl": "andrej-roebljov",
        "title_en": "Andrei Rublev",
        "title_nl": "Andrej Roebljov",
        "original_title": "Andrei Rublyov",
        "year": 1966,
        "countries": ["SU"],
        "runtime": 183,
        "spoken_languages": "ru",
        "age_rating": "16",
        "synopsis_en": (
            "The life of the icon painter Andrei Rublev in fifteenth-century Russia, torn by raids "
            "and famine: Tarkovsky’s epic about art in a cruel time."
        ),
        "synopsis_nl": (
            "Het leven van de iconenschilder Andrej Roebljov in het vijftiende-eeuwse Rusland, "
            "verscheurd door plundertochten en honger: Tarkovski’s epos over kunst in een wrede tijd."
        ),
        "credits": [
            ("director", "tarkovsky", ""),
            ("screenplay", "konchalovsky", ""),
            ("screenplay", "tarkovsky", ""),
            ("cinematographer", "yusov", ""),
            ("composer", "ovchinnikov", ""),
            ("cast", "solonitsyn", "Andrei Rublev"),
        ],
    },
    {
        "slug_en": "shadows-of-forgotten-ancestors",
        "slug_nl": "schaduwen-van-vergeten-voorouders",
        "title_en": "Shadows of Forgotten Ancestors",
        "title_nl": "Schaduwen van vergeten voorouders",
        "original_title": "Tini zabutykh predkiv",
        "year": 1965,
        "countries": ["SU"],
        "runtime": 97,
        "spoken_languages": "uk",
        "age_rating": "12",
        "synopsis_en": (
            "In the Carpathian mountains, Ivan loves Marichka, the daughter of his father’s "
            "killer. Sergei Parajanov turns Hutsul folklore into a whirl of colour and sound."
        ),
        "synopsis_nl": (
            "In de Karpaten houdt Ivan van Maritsjka, de dochter van de moordenaar van zijn vader. "
            "Sergej Paradzjanov maakt van Hoetsoelse folklore een wervelstorm van kleur en klank."
        ),
        "credits": [
            ("director", "parajanov", ""),
            ("cinematographer", "ilyenko", ""),
            ("cast", "mykolaichuk", "Ivan"),
            ("cast", "kadochnikova", "Marichka"),
        ],
    },
    {
        "slug_en": "welcome-or-no-trespassing",
        "slug_nl": "welkom-of-verboden-toegang",
        "title_en": "Welcome, or No Trespassing",
        "title_nl": "Welkom, of verboden toegang",
        "original_title": "Dobro pozhalovat, ili Postoronnim vkhod vospreshchen",
        "year": 1964,
        "countries": ["SU"],
        "runtime": 74,
        "spoken_languages": "ru",
        "age_rating": "AL",
        "synopsis_en": (
            "Sent home from a summer camp for swimming to the far bank of the river, young Kostya "
            "hides in the camp instead. Elem Klimov’s debut mocks the petty rules of grown-ups."
        ),
        "synopsis_nl": (
            "Omdat hij naar de overkant van de rivier zwom, wordt de jonge Kostja van zomerkamp "
            "naar huis gestuurd; hij verstopt zich in het kamp. Elem Klimovs debuut drijft de spot "
            "met de kleinzielige regels van volwassenen."
        ),
        "credits": [
            ("director", "klimov", ""),
            ("cast", "kosykh", "Kostya Inochkin"),
            ("cast", "yevstigneyev", "Dynin"),
        ],
    },
]

OPENING = {
    "slug_nl": "opening-russische-dooi-als-de-kraanvogels-overvliegen",
    "slug_en": "opening-russian-thaw-the-cranes-are-flying",
    "title_nl": "Opening Russische Dooi: Als de kraanvogels overvliegen",
    "title_en": "Opening Russian Thaw: The Cranes are Flying",
    "kind": "opening",
    "label_nl": "Openingsavond Russische Dooi",
    "label_en": "Russian Thaw opening night",
    "duration": 125,
    "featured": True,
    "intro_en": (
        "Festive opening of the Russian Thaw programme, with poetry and live music. The main film "
        "is The Cranes are Flying, a consummately filmed love story set during World War II. "
        "Winner of a Golden Palm in 1958."
    ),
    "intro_nl": (
        "Feestelijke opening van het programma Russische Dooi, met poëzie en livemuziek. De "
        "hoofdfilm is Als de kraanvogels overvliegen, een meesterlijk gefilmd liefdesverhaal "
        "tijdens de Tweede Wereldoorlog. Winnaar van de Gouden Palm in 1958."
    ),
    "body_en": (
        "Nina Targan Mouravi will give a reading (in Dutch) of poetry featured in I Am Twenty (a "
        "film that features in the Russian Thaw programme), Martin de Ruiter (piano) and Oleg "
        "Fateev (vocals) will perform Russian songs after the film."
    ),
    "body_nl": (
        "Nina Targan Mouravi leest (in het Nederlands) gedichten voor uit Ik ben twintig (een film "
        "die in het programma Russische Dooi draait); na de film brengen Martin de Ruiter (piano) "
        "en Oleg Fateev (zang) Russische liederen."
    ),
    "contributors": [
        ("targan-mouravi", "poëzievoordracht (in het Nederlands)", "poetry reading (in Dutch)"),
        ("de-ruiter", "piano", "piano"),
        ("fateev", "zang", "vocals"),
    ],
}

AUDITORIUMS = [
    # slug, Dutch name, English name, seats, notes nl, notes en
    (
        "cinema-1",
        "Cinema 1",
        "Cinema 1",
        315,
        "Rolstoelplaatsen op de eerste rij en ringleiding.",
        "Wheelchair spaces in the front row and a hearing loop.",
    ),
    (
        "cinema-2",
        "Cinema 2",
        "Cinema 2",
        130,
        "Rolstoelplaatsen achteraan; lift vanaf de foyer.",
        "Wheelchair spaces at the back; lift from the foyer.",
    ),
    (
        "cinema-3",
        "Cinema 3",
        "Cinema 3",
        88,
        "Twee rolstoelplaatsen; ringleiding.",
        "Two wheelchair spaces; hearing loop.",
    ),
    (
        "cinema-4",
        "Cinema 4",
        "Cinema 4",
        67,
        "Eén rolstoelplaats; bereikbaar met de lift.",
        "One wheelchair space; reachable by lift.",
    ),
]

SITE_SETTINGS = {
    "restaurant_text_en": (
        "Planning on having a drink or a bite to eat? Book online for Eye Bar Restaurant."
    ),
    "restaurant_text_nl": "Zin in een drankje of een hapje? Reserveer online bij Eye Bar Restaurant.",
    "restaurant_url": "https://bar-restaurant.example.org/",
    "membership_text_en": "Share your love for film and become a member of the Eye Society.",
    "membership_text_nl": "Deel je liefde voor film en word lid van de Eye Society.",
    "membership_url": "https://members.example.org/",
}
