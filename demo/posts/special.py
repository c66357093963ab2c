"""Planted posts: the realistic noise the cleaning stage must handle.

All text is fictional and written for this project. build_exports.py turns
these into export items and records every planted item in planted.json.
"""

# (a) Cross-posted: the exact same text on Facebook and Instagram.
# (date, instagram type, text). The Instagram copy goes up 7 minutes later.
CROSS_POSTS = [
    (
        "2022-02-03",
        "Image",
        """Pink, creamy, salty-sweet and slow-cooked for 90 minutes 💗 Our Kashmiri chai is topped with crushed pistachio and almond, and not one drop of food colour. Rs. 200 at Gulberg, Rs. 200 at DHA, and a rooftop's worth of it coming soon to Model Town. #KashmiriChai #NukkarChai #LahoreEats""",
    ),
    (
        "2022-06-01",
        "Image",
        """Summer hours ☀️ From today DHA Phase 5 stays open until 2 am every night in June, because it's too hot to go out before 10 pm and too fun to go home before 1. Gulberg and Model Town: 7 am to 1 am as usual. #NukkarChai #DHALahore #LahoreNights""",
    ),
    (
        "2022-07-22",
        "Image",
        """Why do pakora plates get bigger when it rains? Because on the very first night of our cart, 3 August 2016, it poured, and Chacha Rafiq fried pakoray on the chai stove for everyone stuck under our umbrella. We've kept the rule ever since: rain = 20% more pakoray, same price 🌧️🔥 #BaarishAurPakoray #NukkarChai""",
    ),
    (
        "2022-09-23",
        "Image",
        """Chai Fact Friday ☕ Large-scale tea growing in the subcontinent began in Assam in the 1830s. Before that, most of the tea drunk in the region came from China. Today our house blend is part Assam, part Kenya, 100% Lahore attitude. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2022-11-02",
        "Image",
        """Exam season 📚 Show your admit card at any branch this month and your first chai of the day is free. Second one is Rs. 140 like everyone else's, sorry, we have a business to run. Best of luck! #NukkarChai #ExamSeason #StudentLife""",
    ),
    (
        "2023-03-31",
        "Image",
        """Ramzan so far: 1,860 iftar plates for riders and drivers across our 3 branches, every single one eaten on our steps with strangers who became friends by the second samosa. This is the Lahore we love 🤲🛵 #Ramzan2023 #NukkarChai""",
    ),
    (
        "2023-05-31",
        "Image",
        """Blood donation camp at Model Town this Saturday, 10 am to 4 pm, with a local thalassemia centre. Every donor gets a Kashmiri chai and a nankhatai, and our eternal respect. Last year 86 of you showed up. Let's make it 100 🩸❤️ #NukkarChai #ModelTown""",
    ),
    (
        "2023-08-09",
        "Sidecar",
        """300 saplings, 2 schools, 1 very muddy Saturday 🌱 Our Model Town team and students from two local schools planted neem, jamun and amaltas along Link Road. Chacha Rafiq came with 4 flasks of chai and "supervised". #NukkarChai #GreenLahore""",
    ),
    (
        "2023-09-13",
        "Image",
        """We're hiring delivery riders for all 3 branches 🛵 Your own bike, a valid licence, and a steady hand with a hot 1 litre flask. Two meals a shift, fuel allowance and a new rain suit every monsoon. Apply at any branch between 3 and 5 pm. #NukkarChai #Hiring #LahoreJobs""",
    ),
    (
        "2024-01-12",
        "Image",
        """Chai Fact Friday ☕ Milky, sweet street chai became an everyday drink across South Asia in the 20th century, when tea companies promoted it heavily and chaiwalas made it their own with milk, sugar and spices. The companies did the marketing. The chaiwalas did the magic. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2024-03-08",
        "Image",
        """One year ago Kiran became our first female trainee chaiwala. Today she runs the evening counter at Gulberg and has trained two new chaiwalas herself. Happy Women's Day to Kiran and to every woman keeping Lahore's kitchens and counters running 💪☕ #WomensDay #NukkarChai""",
    ),
    (
        "2024-05-21",
        "Image",
        """International Tea Day ☕ Every chai at every branch gets a free elaichi upgrade today, and every 100th customer gets a 500g bag of our house blend. Cheers to the drink that built this company. #InternationalTeaDay #NukkarChai""",
    ),
    (
        "2024-08-30",
        "Video",
        """Chai Fact Friday 🎥 Why do chaiwalas pour from a height? It cools the chai a little, mixes it properly and whips a layer of froth on top. Chacha Rafiq's record: 1.2 metres, zero spills. #ChaiFactFriday #ChachaRafiq #NukkarChai""",
    ),
    (
        "2024-12-20",
        "Image",
        """Winter break hours ❄️ From 20 December to 5 January, Model Town opens at 8 am instead of 7 (the fog needs an extra hour), and all branches stay open until 2 am on weekends. Gajar ka halwa cup Rs. 220, while it lasts. #NukkarChai #WinterMenu""",
    ),
    (
        "2025-02-28",
        "Video",
        """The great pour-off 🏆 Chacha Rafiq vs Guddu: 50 cups each, same pateela, same patti, blind taste test by 20 regulars. Result: 12–8 to Chacha. Guddu says "agli baar". Chacha says "dekhtay hain". #NukkarChai #ChachaRafiq""",
    ),
    (
        "2025-08-29",
        "Image",
        """Model Town regulars, this one's for you 💚 The rooftop now has 30 new seats, a shade for the afternoons and a small library shelf stocked by our book club. Take a book, leave a book, drink a chai. #NukkarChai #ModelTown #KitaabAurChai""",
    ),
    (
        "2025-12-19",
        "Image",
        """The Nukkar Card goes digital 📱 Same deal as since 2017: 10th chai free. Scan the QR at the counter to start. The yellow paper card still works, of course, because Chacha Rafiq refuses to let it die. #NukkarCard #NukkarChai""",
    ),
    (
        "2026-03-30",
        "Image",
        """Eid week is over and we are taking stock: 9,400 sheer khurma cups, 1,100 Eidi nankhatai for kids and one very full Billo. Thank you for spending your Eid with us 🌙💛 #EidMubarak #NukkarChai""",
    ),
    (
        "2026-07-24",
        "Image",
        """10th birthday countdown: 10 days 🎂 Every day until 3 August we'll share one story from ten years of the nukkar. Today's: the night in 2016 when we ran out of cups and served chai in borrowed steel glasses from the dhaba across the road. #10YearsOfNukkar #NukkarChai""",
    ),
    (
        "2026-09-18",
        "Image",
        """Chai Fact Friday ☕ A 250ml cup of doodh patti needs roughly 2 heaped teaspoons of loose tea, about 4g. Less and it's milky, more and it's bitter. Chacha Rafiq doesn't measure. He just knows. #ChaiFactFriday #DoodhPatti #NukkarChai""",
    ),
]

# (b) Near-duplicates: an original, then a repost with a small edit.
# (original platform, original date, instagram type, text, variant platform, days later, edit)
# Edits: ("hashtags", "#A #B") appends two hashtags; ("bang",) adds "!!" to the first
# line; ("emoji", old, new) swaps the first occurrence of an emoji; ("linkinbio",)
# appends a trailing "Link in bio"; ("cta", words) appends a call to action (a short post
# and its repost: Jaccard under 0.8, the original wholly contained in the repost).
NEAR_DUPS = [
    (
        "facebook",
        "2022-04-12",
        "Image",
        """Iftar platter for the family is here 🌙 Pakoray, 6 samosay, fruit chaat, dahi bhallay and 4 doodh patti for PKR 1,400, serves four. Pre-order by 3 pm at any of our 3 branches and pick it up hot at the azaan. #Ramzan2022 #NukkarChai""",
        "instagram",
        0,
        ("linkinbio",),
    ),
    (
        "facebook",
        "2022-10-12",
        "Image",
        """The Nukkar Card is back in stock at DHA 💛 Pick one up at the counter, get it stamped with every chai and your 10th cup is on us. Same yellow card since 2017, same deal, now with slightly better paper because Billo ate the last batch. #NukkarCard #NukkarChai""",
        "instagram",
        0,
        ("linkinbio",),
    ),
    (
        "facebook",
        "2023-11-14",
        "Video",
        """Reel of the week 🎥 Bilal bhai explains the difference between an aloo samosa and a keema samosa in 30 seconds, while folding 14 of them. Aloo: Rs. 50. Keema: Rs. 80. Watching him: free. #NukkarChai #Samosa #StreetFood""",
        "instagram",
        0,
        ("linkinbio",),
    ),
    (
        "facebook",
        "2022-12-20",
        "Image",
        """Shaadi season special 💍 Book a live chai station for 100 guests or more before 31 December and get 15% off. Our chaiwalas come with the pateela, the kulhars, the snacks and the moustache (Chacha Rafiq available on selected dates only). #ChaiStation #DesiWedding #NukkarChai""",
        "instagram",
        0,
        ("hashtags", "#ShaadiSeason #LahoreWeddings"),
    ),
    (
        "facebook",
        "2024-02-19",
        "Image",
        """Aaj ka special: the anda shami bun kebab 🍔 A shami kebab fried golden, an egg cooked right on top of it, onions, green chutney and a soft bun toasted on the tawa. Rs. 280, and the only burger Chacha Rafiq approves of. #AajKaSpecial #BunKebab #NukkarChai""",
        "instagram",
        0,
        ("hashtags", "#LahoriFoodies #StreetFood"),
    ),
    (
        "facebook",
        "2025-04-28",
        "Image",
        """Monday motivation from Chacha Rafiq: "Doodh ubalta hai toh aag kam karo, gussa aata hai toh awaaz kam karo." When the milk boils over, lower the flame; when anger rises, lower your voice. Happy Monday, Lahore ☕ #MondayMotivation #ChachaRafiqSays""",
        "instagram",
        0,
        ("hashtags", "#ChaiTime #DesiVibes"),
    ),
    (
        "facebook",
        "2022-05-20",
        "Image",
        """Model Town is two months old today! 🌿
Thank you to the neighbours who came on day one and never left: the uncle with the newspaper, the aunties' walking group, the college students who have claimed the rooftop corner as "their table". We see you. We love you. Milte hain nukkar pe! ☕""",
        "facebook",
        21,
        ("bang",),
    ),
    (
        "facebook",
        "2023-10-27",
        "Image",
        """Free chai for every Rescue 1122 worker, traffic warden and sanitation worker this Friday! ☕
It's our small way of saying thank you to the people who keep Lahore moving through the smog, the traffic and the rain. Just walk in to any of our 3 branches in uniform. #NukkarChai""",
        "facebook",
        14,
        ("bang",),
    ),
    (
        "facebook",
        "2024-07-03",
        "Image",
        """Chai ka flask, now in 1 litre ☕ Serves five or six people, stays hot for two hours, and costs PKR 1,050 at all 3 branches. Perfect for office meetings, long drives and families who argue about who drank the last cup. Delivery free on orders above PKR 1,500.""",
        "facebook",
        30,
        ("emoji", "☕", "🔥"),
    ),
    (
        "facebook",
        "2025-10-23",
        "Image",
        """Winter is coming to Lahore 😍 and so is our gur wali chai. Jaggery from Sheikhupura, a pinch of saunf, three slow boils. Back on the menu from 1 November at Rs. 220, and Chacha Rafiq has already started tasting the new batch of gur "for quality control". #GurWaliChai #NukkarChai""",
        "facebook",
        10,
        ("emoji", "😍", "🥶"),
    ),
    (
        "instagram",
        "2022-08-26",
        "Image",
        """Chai Fact Friday ☕ Black tea leaves are rolled after picking, which breaks their cells and lets the air in. That's what turns a green leaf dark and gives doodh patti its deep colour and strong flavour. #ChaiFactFriday #DoodhPatti #NukkarChai""",
        "instagram",
        14,
        ("hashtags", "#TeaLovers #ChaiLovers"),
    ),
    (
        "instagram",
        "2024-04-16",
        "Sidecar",
        """Swipe for a morning at Model Town 🌿 7 am: Shamim Apa's nankhatai come out of the oven. 8 am: the aunties' walking group arrives. 9 am: the rooftop plants get watered with leftover cold chai (don't ask, it works). #NukkarChai #ModelTown #MorningVibes""",
        "instagram",
        14,
        ("hashtags", "#LahoreEats #DesiVibes"),
    ),
    (
        "instagram",
        "2023-07-18",
        "Image",
        """Rain check for tonight! 🌧️ Clouds over Gulberg, thunder over DHA and Model Town already wet. Pakora plates are 300g for the price of 250g (Rs. 260) at all 3 branches until the rain stops. #BaarishAurPakoray #NukkarChai #LahoreRain""",
        "instagram",
        14,
        ("bang",),
    ),
    (
        "instagram",
        "2024-11-25",
        "Image",
        """Kashmiri chai season has officially started 💗☕ Pink, creamy, topped with pistachio and almond, and served with two nankhatai on the Model Town rooftop. Rs. 280. Shawl recommended, second cup inevitable. #KashmiriChai #NukkarChai #ModelTown""",
        "instagram",
        14,
        ("emoji", "💗", "🩷"),
    ),
    (
        "instagram",
        "2025-09-12",
        "Image",
        """Fresh elaichi rusk from Shamim Apa's oven, perfect for dunking 🍞 #NukkarChai""",
        "facebook",
        3,
        ("cta", "Hurry, she bakes only 40 packets a day: order yours NOW!!"),
    ),
    (
        "instagram",
        "2025-06-14",
        "Video",
        """Billo discovers the new water cooler at DHA 🐈💧 She drank from it once, decided it was beneath her, and went back to her own bowl. Management has spoken. #BilloDiaries #NukkarChai #DHALahore""",
        "instagram",
        14,
        ("emoji", "🐈", "😼"),
    ),
]

# (c) Pinned Instagram posts: each appears 3 times in the export (same id).
PINNED = [
    (
        "2023-06-01",
        "Sidecar",
        """Welcome to Nukkar Chai Co. ☕ Garma garam chai and street snacks in Lahore since 2016.
📍 Gulberg · DHA Phase 5 · Model Town
⏰ Every day, 7 am to 1 am
🥟 Doodh patti, Kashmiri chai, samosay, pakoray and a lot of gup-shup
Swipe for the menu and the map. Milte hain nukkar pe! #NukkarChai #LahoreEats #ChaiTime""",
    ),
    (
        "2026-07-28",
        "Image",
        """Our 10th birthday is on 3 August 2026 🎂 All day at all 3 branches: chai at the 2016 price of Rs. 30, a free samosa with every cup, and cake with Chacha Rafiq at Gulberg at 8 pm. Ten years, one pateela, countless cups. Be there! #10YearsOfNukkar #NukkarChai""",
    ),
]

# (e) Posts carrying personal data (phone numbers, emails) the cleaner must remove.
PII_PHONES = ["0300-1234567", "0321 7654321", "+92 300 1234567", "042-35781234", "+923001112233"]
PII_EMAILS = ["orders@nukkarchai.pk", "ayesha.k@example.com"]

PII_FACEBOOK = [
    (
        "2022-05-30",
        """Wedding season bookings are open 💍 Live chai station, kulhars, snacks and a chaiwala with a very good moustache. Call or WhatsApp Hamza on 0300-1234567, or email orders@nukkarchai.pk with your date, venue and guest count. Packages from Rs. 650 per head.""",
    ),
    (
        "2022-12-14",
        """Lost and found at DHA Phase 5: a blue Casio watch, one grey shawl and a well-read copy of Raja Gidh with notes in the margins. If they're yours, call the branch on 0321 7654321 and describe them. Billo has been sleeping on the shawl, sorry.""",
    ),
    (
        "2023-03-02",
        """Iftar pre-orders for Ramzan 2023 are open 🌙 Family platter for four (pakoray, samosay, fruit chaat and 4 chai) is Rs. 1,800. WhatsApp +92 300 1234567 before 3 pm with your branch and pickup time, and it'll be hot and packed at the azaan.""",
    ),
    (
        "2023-08-22",
        """Ayesha, we're so sorry your order from Model Town arrived cold and 40 minutes late on Saturday. That's not the Nukkar way. We've sent a voucher for a family platter to ayesha.k@example.com, and we've had a long chat with our delivery team. Please give us another chance. 🙏""",
    ),
    (
        "2024-01-30",
        """Our Gulberg landline is working again: 042-35781234. The exchange fault lasted a week and we know many of you couldn't get through for catering calls. Sorry about that, and thank you to everyone who walked in instead.""",
    ),
    (
        "2024-09-03",
        """Office chai, sorted ☕ Offices in Gulberg and DHA can now order 10 or more chai flasks (1 litre each, PKR 1,050) before 10 am for morning delivery. Email orders@nukkarchai.pk or WhatsApp +923001112233 by 6 pm the day before. 10% off for standing weekly orders.""",
    ),
    (
        "2025-06-20",
        """Giveaway winner 🎉 Congratulations Ayesha K, winner of our kulhar giveaway: a year of Friday chai at Model Town! We haven't been able to reach you, so please email us from ayesha.k@example.com or call 0300-1234567 by Sunday to claim it.""",
    ),
    (
        "2026-01-19",
        """New number alert 📲 DHA Phase 5 deliveries now have their own line: 0321 7654321. The old number has retired, like Chacha Rafiq's old slippers (he is still in mourning). Delivery within 5 km, free on orders above PKR 1,500.""",
    ),
]

PII_INSTAGRAM = [
    (
        "2022-08-24",
        "Image",
        """Chai station bookings for wedding season are open 💛 Mehndi, baraat, walima, we'll bring the nukkar to you. DM us or WhatsApp 0300-1234567 #ChaiStation #NukkarChai #DesiWedding""",
    ),
    (
        "2023-11-25",
        "Image",
        """Late-night cravings? DHA delivers until 2 am on weekends 🛵🌙 Call +92 300 1234567 and the karak is on its way. #NukkarChai #DHALahore #LateNight""",
    ),
    (
        "2024-12-02",
        "Sidecar",
        """Winter catering menu is out ❄️ Swipe for Kashmiri chai stations, angeethi setups and gajar ka halwa counters, from Rs. 1,450 per head. Quotes within a day: orders@nukkarchai.pk #NukkarChai #Catering #WinterWedding""",
    ),
    (
        "2025-10-10",
        "Image",
        """Model Town has its own WhatsApp for orders now 📲 +923001112233. Flasks, samosa boxes and book club snacks, 9 am to midnight. #NukkarChai #ModelTown""",
    ),
]

# (d) Collab posts owned by other accounts that show up in the brand's export.
# (date, type, ownerUsername, ownerFullName, ownerId, caption)
COLLABS = [
    (
        "2022-04-02",
        "Sidecar",
        "lahorefoodtrail",
        "Lahore Food Trail",
        "5839201746",
        """NEW SPOT ALERT 📍 Nukkar Chai Co., Model Town (with @nukkarchai)

Checked out the new rooftop branch that opened last month. Verdict:
☕ Doodh patti: strong, creamy, properly boiled. 9/10
🥟 Aloo samosa: crisp pastry, could use more chilli. 7.5/10
🍪 Nankhatai: melt-in-mouth, baked upstairs. 9/10
Vibe: plants everywhere, sunset views, calm crowd.
Would I come back? Already did, twice.

#LahoreFoodTrail #FoodReview #LahoreFoodies""",
    ),
    (
        "2022-11-19",
        "Image",
        "chaiwithmehreen",
        "Mehreen | Chai & Books",
        "7702938415",
        """A rainy-ish Saturday, a second-hand Intizar Husain and the corner table at @nukkarchai Gulberg. Some afternoons don't need a plan. What are you all reading this weekend? 📖 #ChaiAndBooks #BookstagramPakistan""",
    ),
    (
        "2023-06-17",
        "Video",
        "thedesifoodie.pk",
        "The Desi Foodie",
        "4419023857",
        """I ranked 5 bun kebabs in Lahore so you don't have to 🍔 Number two might surprise you... it's from a chai café! The anda shami bun kebab at @nukkarchai DHA was juicy, spicy and Rs. 240. Full ranking in the video. Agree or disagree? 👇 #BunKebab #LahoreFood #FoodRanking""",
    ),
    (
        "2023-11-24",
        "Sidecar",
        "sufiyana.ensemble",
        "Sufiyana Ensemble",
        "6120384957",
        """What a night on the rooftop of @nukkarchai Model Town 🎶 Thank you to everyone who sat with us through three hours of qawwali and kept the claps going. Our harmonium player says the Kashmiri chai was the real star. See you next month! #Qawwali #SufiMusic #LahoreNights""",
    ),
    (
        "2024-07-20",
        "Video",
        "lahorefoodtrail",
        "Lahore Food Trail",
        "5839201746",
        """Monsoon special 🌧️ Which Lahore café does the best rainy-day pakoray? Day 3 of my pakora crawl took me to @nukkarchai Gulberg, where the plate actually gets BIGGER when it rains (they weigh it!). Score: 8.5/10, crispy even after 10 minutes. #PakoraCrawl #LahoreRain #FoodReview""",
    ),
    (
        "2025-02-26",
        "Image",
        "qalandar.cheer.squad",
        "Qalandar Cheer Squad",
        "8830125746",
        """Match-day headquarters sorted ✅ Big screen, loud crowd and samosay for days at @nukkarchai DHA Phase 5. Who's joining us for the next one? 🏏💚 #ChampionsTrophy #LahoreCricket #CheerSquad""",
    ),
    (
        "2025-09-06",
        "Sidecar",
        "greenkulhar.pottery",
        "Green Kulhar Pottery",
        "3301927648",
        """From our kiln in Gujranwala to the counter at @nukkarchai 🏺 We've now made over 100,000 kulhars for their three Lahore branches. Every cup is hand-thrown, sun-dried and fired. Swipe for the process, from clay to chai. #Kulhar #HandmadeInPakistan #Pottery""",
    ),
    (
        "2026-05-16",
        "Image",
        "kitaabkhana.lhr",
        "Kitaab Khana Lahore",
        "9120476583",
        """Proud to stock the little library shelf at @nukkarchai Model Town 📚 Every month we'll donate five books picked by their Kitaab aur Chai book club. This month: two Urdu novels, a poetry collection and two children's books. #KitaabKhana #BookClub #Lahore""",
    ),
]
