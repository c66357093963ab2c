"""Hand-written Instagram captions of Nukkar Chai Co. (fictional).

Each entry: (date "YYYY-MM-DD", type "Image" | "Video" | "Sidecar", caption).
Written for this project; every caption is its own. Planted noise (cross-posts,
near-duplicates, pinned posts, PII, collabs) lives in special.py, not here.
"""

POSTS = [
    # ---------------------------------------------------------------- 2022
    (
        "2022-01-02",
        "Image",
        """Dhund wali subah, garma garam chai ☕🌫️ Gulberg is open from 7 am, come thaw out. #NukkarChai #ChaiTime #LahoreWinter""",
    ),
    (
        "2022-01-10",
        "Video",
        """Chacha Rafiq pouring chai from one metre up. Not a single drop lost since 1989. Don't try this at home, yaar 😅☕ #NukkarChai #ChachaRafiq #ChaiTime""",
    ),
    (
        "2022-01-21",
        "Image",
        """Chai Fact Friday ☕ Elaichi (green cardamom) is a cousin of ginger. Same family, very different personalities, both welcome in our pateela. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2022-01-31",
        "Image",
        """Monday motivation: the chai is hot, the samosa is crisp, and the week can't be that bad if it starts like this 🥟☕ #MondayMotivation #NukkarChai #LahoreEats""",
    ),
    (
        "2022-02-11",
        "Sidecar",
        """Swipe for the three stages of doodh patti 👉 1. milk meets patti 2. the first boil 3. that Lahori-sunset colour 😍 #DoodhPatti #NukkarChai #ChaiLovers""",
    ),
    (
        "2022-02-14",
        "Image",
        """Roses are red, samosay are gold, our chai is hot and your ex is cold 🌹🥟 Happy Valentine's from the nukkar. #NukkarChai #ChaiTime""",
    ),
    (
        "2022-02-25",
        "Image",
        """Chai Fact Friday: pink Kashmiri chai gets its colour from green tea leaves, a pinch of baking soda and a LOT of aeration. No food colour, ever. Kashmiri chai at Gulberg, Rs. 200 💗 #ChaiFactFriday #KashmiriChai #NukkarChai""",
    ),
    (
        "2022-03-07",
        "Image",
        """Sneak peek 👀 Something green, something new, something with a rooftop. Model Town, very soon. #NukkarChai #ModelTown #ComingSoon""",
    ),
    (
        "2022-03-16",
        "Video",
        """Shamim Apa's first batch of nankhatai from the new Model Town oven 🍪 She said "theek hi hain". They were gone in 11 minutes. #NukkarChai #Nankhatai #ModelTown""",
    ),
    (
        "2022-03-21",
        "Sidecar",
        """Opening day at Model Town, in pictures 📸 Ribbon cut by Chacha Rafiq (with chai in the other hand), 312 cups poured, one very tired team. Shukriya, Model Town! 💚 #NukkarChai #ModelTown #LahoreEats""",
    ),
    (
        "2022-04-08",
        "Image",
        """Iftar is served 🌙 Pakoray, samosay, fruit chaat and doodh patti, from 5 pm at all three branches. #Ramzan #Iftar #NukkarChai #LahoreEats""",
    ),
    (
        "2022-04-25",
        "Image",
        """Sehri squad at DHA, 2:30 am. Aloo paratha, anda and chai. If you know, you know 🌙🍳 #Sehri #NukkarChai #DHALahore""",
    ),
    ("2022-05-13", "Image", """Post-Eid detox plan: one chai. Two chai. Okay, three chai. #NukkarChai #ChaiTime #EidVibes"""),
    (
        "2022-05-27",
        "Image",
        """Chai Fact Friday ☕ Pakistan is one of the biggest importers of tea in the world. We're doing our part. Every day. Several times. 🇵🇰 #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2022-06-06",
        "Video",
        """Bilal bhai folding samosay at full speed. We timed him: 6 seconds per samosa. The man is a machine 🥟⚡ #NukkarChai #Samosa #StreetFood""",
    ),
    (
        "2022-06-15",
        "Image",
        """45°C outside, hot chai inside. Lahoris don't negotiate with the weather 🥵☕ #NukkarChai #LahoreSummer #ChaiLovers""",
    ),
    (
        "2022-07-07",
        "Video",
        """Baarish ki pehli boond aur kadhai ka pehla pakora 🌧️🔥 Sound on. #BaarishAurPakoray #NukkarChai #LahoreRain""",
    ),
    (
        "2022-07-19",
        "Image",
        """Rooftop after the rain. Wet plants, clean air, and the first Kashmiri chai of the evening 🌿☕ Model Town, you're beautiful. #NukkarChai #ModelTown""",
    ),
    (
        "2022-07-28",
        "Image",
        """Aaj ka special: keema samosa with podina chutney. Rs. 70 and worth every paisa 🥟 #AajKaSpecial #NukkarChai #LahoreEats""",
    ),
    (
        "2022-08-05",
        "Sidecar",
        """Birthday week, swipe through the years 👉 2016 the cart, 2017 the tiny shop, 2019 DHA, 2022 Model Town. Same chai every step of the way ☕🎂 #NukkarChai #SinceTwentySixteen""",
    ),
    (
        "2022-08-13",
        "Image",
        """Green chutney, green kulhar, green heart 💚 Azadi mubarak in advance, Pakistan! #14August #NukkarChai #Pakistan""",
    ),
    (
        "2022-09-02",
        "Image",
        """Chai Fact Friday 🍃 Tea leaves from the same bush can become green, black or oolong tea. It's all about how long they're left to oxidise. Our doodh patti? Fully black, fully bold. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2022-09-12",
        "Image",
        """Monday mood: Billo on the heater cover at DHA, refusing to acknowledge it's a weekday 🐈 #BilloDiaries #MondayMotivation #NukkarChai""",
    ),
    (
        "2022-09-26",
        "Video",
        """A reel about nothing: steam rising off a cup in slow motion for 15 seconds. You watched the whole thing. We know. ☕ #NukkarChai #ChaiTime""",
    ),
    (
        "2022-10-07",
        "Image",
        """Chai Fact Friday: saunf (fennel) in masala chai isn't just for taste, Lahori nanis swear it helps digestion after a heavy lunch. We swear by nanis. #ChaiFactFriday #MasalaChai #NukkarChai""",
    ),
    (
        "2022-10-17",
        "Image",
        """New week, new notebook, same chai. Good luck with the mid-terms, students 📚 20% off any chai before 11 am with your card. #MondayMotivation #NukkarChai #StudentLife""",
    ),
    (
        "2022-10-29",
        "Image",
        """Shaadi season has started and so have our chai stations 💛 Booking for December? Message us early, the calendar is filling up. #ChaiStation #DesiWedding #NukkarChai""",
    ),
    (
        "2022-11-11",
        "Image",
        """Smoggy outside, cosy inside. Adrak wali chai at Gulberg, purifiers on, windows closed 😷☕ #LahoreSmog #NukkarChai""",
    ),
    (
        "2022-11-24",
        "Sidecar",
        """Our winter menu just dropped ❄️ Swipe: gur wali chai, masala chai, and the return of gajar ka halwa by the cup. #WinterMenu #NukkarChai #LahoreEats""",
    ),
    (
        "2022-12-09",
        "Image",
        """Angeethi + Kashmiri chai + the Model Town rooftop = the best Friday night in Lahore. Fight us 🔥 #NukkarChai #ModelTown #KashmiriChai""",
    ),
    (
        "2022-12-31",
        "Image",
        """Last chai of 2022 ☕ Thank you for every cup this year. See you on the other side. #NukkarChai #NewYearsEve""",
    ),
    # ---------------------------------------------------------------- 2023
    (
        "2023-01-06",
        "Image",
        """Chai Fact Friday ☕ Jaggery (gur) is made by boiling sugarcane juice until it sets. That's why gur wali chai tastes smoky and deep. Ours comes from Sheikhupura. #ChaiFactFriday #GurWaliChai #NukkarChai""",
    ),
    (
        "2023-01-16",
        "Image",
        """Monday motivation: Chacha Rafiq has been up since 5 am and he's smiling. What's your excuse? 😄☕ #MondayMotivation #ChachaRafiqSays #NukkarChai""",
    ),
    (
        "2023-01-25",
        "Video",
        """When the fog rolls in at 7 am and the first batch of chai comes off the stove 🌫️☕ Gulberg mornings hit different. #NukkarChai #LahoreWinter #ChaiTime""",
    ),
    (
        "2023-02-08",
        "Image",
        """Team samosa 🥟 or team pakora 🌶️? Comment below. Wrong answers will be read out loud by Bilal bhai. #NukkarChai #LahoreEats""",
    ),
    (
        "2023-02-17",
        "Image",
        """Chai Fact Friday: the word "karak" comes from "kadak", meaning strong. Strong chai, strong opinions, strong Lahore. #ChaiFactFriday #KarakChai #NukkarChai""",
    ),
    (
        "2023-02-28",
        "Image",
        """PSL night at DHA 🏏 Big screen, loud crowd, Qalandars shirts everywhere, and 400 samosay ready before the toss. Dama dam mast Qalandar! #PSL8 #NukkarChai #LahoreQalandars""",
    ),
    (
        "2023-03-09",
        "Image",
        """Meet Kiran, our first female trainee chaiwala. Chacha Rafiq says her pour is "bilkul seedha", perfectly straight. Come say hi at Gulberg 💪☕ #NukkarChai #WomenWhoWork""",
    ),
    (
        "2023-03-18",
        "Sidecar",
        """Model Town turns one 🎂 Swipe for a year of rooftop sunsets, book club Sundays, qawwali Fridays and 1 plant that refuses to die. Thank you, neighbours! #NukkarChai #ModelTown""",
    ),
    (
        "2023-03-27",
        "Image",
        """Iftar spread for two, Rs. 900: pakoray, 2 samosay, fruit chaat and 2 chai. Order by 5 pm, ready at azaan 🌙 #Iftar #Ramzan2023 #NukkarChai""",
    ),
    ("2023-04-14", "Image", """Jummat-ul-Wida mubarak 🤲 May all your duas be accepted. #Ramzan #NukkarChai"""),
    (
        "2023-04-21",
        "Image",
        """Chand raat at Gulberg: mehndi stalls outside, bangles clinking, and the longest chai queue of the year ✨🌙 #ChandRaat #NukkarChai #Lahore""",
    ),
    (
        "2023-05-05",
        "Image",
        """Chai Fact Friday ☕ Adding milk to tea became popular partly because it cooled the tea and protected fine china cups from cracking. Our glass cups are tough, but we add milk anyway because, well, doodh patti. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2023-05-15",
        "Image",
        """Monday motivation: even Billo gets up eventually. Usually around 4 pm. #MondayMotivation #BilloDiaries #NukkarChai""",
    ),
    (
        "2023-05-26",
        "Video",
        """POV: you asked for "kam cheeni" and Chacha Rafiq heard you the first time 🥹 #NukkarChai #ChaiTime #DoodhPatti""",
    ),
    ("2023-06-05", "Image", """Cold AC, hot chai, zero regrets. Beat the heat at Model Town 🥵➡️😎 #LahoreSummer #NukkarChai"""),
    (
        "2023-06-16",
        "Image",
        """Chai Fact Friday: a 250ml cup of our doodh patti has less caffeine than a regular coffee. So yes, you can have another one. Science (and Chacha) says so ☕ #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2023-06-24",
        "Image",
        """Aaj ka special: dahi bhallay with imli chutney and a sprinkle of chaat masala. Cold, tangy, perfect for June 🥣 #AajKaSpecial #NukkarChai #LahoreEats""",
    ),
    (
        "2023-07-04",
        "Image",
        """Clouds are gathering over Gulberg 🌥️ The besan is ready. The onions are sliced. We're just waiting. #BaarishAurPakoray #NukkarChai""",
    ),
    (
        "2023-07-12",
        "Video",
        """Sound on 🔊 rain on the tin roof, oil in the kadhai, Noor Jehan on the speaker. This is what Lahore sounds like in July 🌧️🔥 #BaarishAurPakoray #LahoreRain #NukkarChai""",
    ),
    (
        "2023-07-21",
        "Image",
        """Chai Fact Friday 🌧️ Rain makes us crave fried food because cool, grey weather nudges the body towards warm, high-energy comfort food. That's our excuse and we're sticking to it. #ChaiFactFriday #BaarishAurPakoray""",
    ),
    (
        "2023-07-31",
        "Image",
        """Monday motivation: it rained all weekend and you didn't have a single pakora? There's still time. Pakora plates 20% bigger till the clouds leave ☁️ #MondayMotivation #BaarishAurPakoray #NukkarChai""",
    ),
    (
        "2023-08-04",
        "Sidecar",
        """Birthday recap 🎂 Swipe: Chacha cutting the cake with a chai spoon, Rs. 30 cups for everyone who asked, and 2,100 people who did. Seven years, Lahore! ☕ #NukkarChai #Anniversary""",
    ),
    (
        "2023-08-15",
        "Image",
        """The morning after Independence Day: flags still up, voices still gone, chai still needed 🇵🇰☕ #NukkarChai #Pakistan""",
    ),
    (
        "2023-08-25",
        "Image",
        """Chai Fact Friday: cloves in masala chai add a numbing warmth you feel at the back of your throat. That little tingle? That's the laung saying hello. #ChaiFactFriday #MasalaChai #NukkarChai""",
    ),
    (
        "2023-09-08",
        "Image",
        """New on the rooftop: Kitaab aur Chai, our book club. Every second Sunday, 11 am, Model Town. This month: a slim Urdu novel Zoya won't stop talking about 📚☕ #KitaabAurChai #NukkarChai #BookClub""",
    ),
    (
        "2023-09-18",
        "Image",
        """Monday motivation from Chacha Rafiq: "Aik cup se dosti shuru hoti hai." Every friendship starts with one cup. Go make a friend this week ☕ #MondayMotivation #ChachaRafiqSays""",
    ),
    (
        "2023-09-29",
        "Image",
        """Chai Fact Friday: a kulhar (clay cup) is fired but not glazed, so it's porous. That's where the earthy aroma comes from. Kulhar chai at Model Town, every evening 🏺 #ChaiFactFriday #Kulhar #NukkarChai""",
    ),
    (
        "2023-10-09",
        "Image",
        """World Cup fever at DHA 🏏🇵🇰 Every Pakistan match on the big screen. Green shirt = free extra chutney. #CWC23 #NukkarChai #DHALahore""",
    ),
    (
        "2023-10-20",
        "Video",
        """Guddu's first week as Chacha Rafiq's apprentice. Chacha's feedback so far: "Haath theek hai. Sabr nahi hai." Hands are fine, patience is not. We'll keep you posted 😂 #NukkarChai #ChachaRafiq""",
    ),
    (
        "2023-11-03",
        "Image",
        """Chai Fact Friday 🌫️ Lahore's smog traps cold air close to the ground, which is why winter mornings feel so heavy. The fix isn't chai. But chai helps. #ChaiFactFriday #LahoreSmog #NukkarChai""",
    ),
    (
        "2023-11-27",
        "Image",
        """Qawwali Friday on the rooftop was unreal 🎶 Harmonium, tabla, 120 people clapping and Kashmiri chai that kept on coming. Thank you Model Town! #Qawwali #NukkarChai #ModelTown""",
    ),
    (
        "2023-12-04",
        "Image",
        """Monday motivation: Lahore's fog lifts by noon. So will your mood. Start with a gur wali chai ☕❄️ #MondayMotivation #NukkarChai""",
    ),
    (
        "2023-12-15",
        "Sidecar",
        """A December evening in 5 photos 📸 steamy windows, angeethi glow, Kashmiri chai, Billo in a shawl (she tolerated it for 4 seconds) and the rooftop at night. #NukkarChai #LahoreWinter""",
    ),
    (
        "2023-12-29",
        "Image",
        """2023 wrapped ☕ 498,000 cups. 61,000 samosay. 1 kulhar that survived a drop from the rooftop. Thank you, Lahore. #NukkarChai #YearInReview""",
    ),
    # ---------------------------------------------------------------- 2024
    (
        "2024-01-08",
        "Image",
        """Monday motivation: it's 6°C and you still showed up. That deserves a karak chai 💪☕ #MondayMotivation #NukkarChai #LahoreWinter""",
    ),
    (
        "2024-01-19",
        "Image",
        """Chai Fact Friday ☕ Black pepper in masala chai makes the other spices pop and gives that slow warmth in your chest. Kali mirch, the quiet hero. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2024-01-29",
        "Video",
        """How we make gur wali chai, in 30 seconds 🎥 Jaggery melts in, saunf goes on top, three boils and done. Rs. 200 at all branches. #GurWaliChai #NukkarChai #ChaiTime""",
    ),
    (
        "2024-02-12",
        "Image",
        """Chai with a side of politics? Every table at Gulberg this week 😅 All opinions welcome, volumes moderate please. #NukkarChai #Lahore""",
    ),
    (
        "2024-02-23",
        "Image",
        """Chai Fact Friday: saffron is the world's most expensive spice by weight, because every thread is picked by hand from a crocus flower. Our new zafrani chai is Rs. 350 and now you know why ✨ #ChaiFactFriday #ZafraniChai #NukkarChai""",
    ),
    (
        "2024-03-04",
        "Sidecar",
        """Swipe for the 2024 menu highlights 👉 Zafrani chai, Sulemani chai, the Nukkar Deal (2 chai + 4 samosay, PKR 650) and the return of our dahi bhallay. #NukkarChai #NewMenu #LahoreEats""",
    ),
    (
        "2024-03-14",
        "Image",
        """Iftar at Model Town rooftop 🌙 The sky goes orange, the azaan begins, and 60 strangers break their fast together. Nothing beats this. #Ramzan2024 #Iftar #NukkarChai""",
    ),
    ("2024-03-28", "Image", """Sehri at 3 am, DHA: paratha, anda, doodh patti and a very sleepy Guddu 😴 #Sehri #NukkarChai"""),
    (
        "2024-04-12",
        "Image",
        """Eid day 3 and the sheer khurma is finally finished. Back to regular chai programming ☕ #NukkarChai #EidMubarak""",
    ),
    (
        "2024-04-22",
        "Image",
        """Monday motivation from Shamim Apa: "Kaam karo, baatein baad mein." Work first, gossip later. (She gossips constantly.) #MondayMotivation #NukkarChai""",
    ),
    (
        "2024-05-03",
        "Image",
        """Chai Fact Friday 🌿 Sulemani chai is black tea with lemon and a little honey, no milk. It's named after a traditional style of tea from Kerala and has a big fan club in Lahore's biryani circles. Rs. 150. #ChaiFactFriday #SulemaniChai""",
    ),
    (
        "2024-05-17",
        "Video",
        """Pouring 200 cups an hour looks like this 🎥 Gulberg, Friday evening, 6:45 pm. Chacha Rafiq doesn't blink. #NukkarChai #ChaiTime #BehindTheScenes""",
    ),
    (
        "2024-05-27",
        "Image",
        """Monday motivation: Guddu got his first "theek hai" from Chacha Rafiq last week. Keep going, your "theek hai" is coming too 🥹 #MondayMotivation #NukkarChai""",
    ),
    (
        "2024-06-07",
        "Image",
        """Chai Fact Friday: milk in chai binds with some of the tea's tannins, which is why doodh patti tastes smoother than black tea made with the same leaves. #ChaiFactFriday #DoodhPatti #NukkarChai""",
    ),
    (
        "2024-06-21",
        "Image",
        """Lemonade has joined the menu for summer 🍋 Fresh lime, mint, a pinch of kala namak. Rs. 180. Chacha Rafiq has refused to try it on principle. #NukkarChai #LahoreSummer""",
    ),
    (
        "2024-07-01",
        "Image",
        """Monday motivation: monsoon is coming. Stock up on patience, umbrellas and pakora cravings ⛈️ #MondayMotivation #BaarishAurPakoray #NukkarChai""",
    ),
    (
        "2024-07-17",
        "Sidecar",
        """Baarish recap 🌧️ Swipe for flooded Main Boulevard, a very wet Billo, 300g pakora plates and a queue outside Gulberg in the rain. Worth it. #BaarishAurPakoray #LahoreRain #NukkarChai""",
    ),
    (
        "2024-07-26",
        "Image",
        """Chai Fact Friday ☔ The smell of rain on dry earth has a name: petrichor. The smell of pakoray in the rain also has a name: Nukkar. #ChaiFactFriday #BaarishAurPakoray""",
    ),
    (
        "2024-08-05",
        "Image",
        """8 years, 3 branches, countless cups. Thank you for making the nukkar your place ☕❤️ #NukkarChai #8YearsOfNukkar""",
    ),
    (
        "2024-08-14",
        "Video",
        """Milli naghma + a rooftop full of green + Chacha Rafiq humming along 🇵🇰 Jashn-e-Azadi mubarak! #14August #Pakistan #NukkarChai""",
    ),
    (
        "2024-08-23",
        "Image",
        """Chai Fact Friday: cinnamon (darchini) sold in markets is often cassia, a close cousin. Both are bark. Both belong in masala chai. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2024-09-02",
        "Image",
        """Monday motivation: new month, clean slate, same dirty chai glass on your desk. Wash it. Then come get a fresh one ☕😂 #MondayMotivation #NukkarChai""",
    ),
    (
        "2024-09-13",
        "Image",
        """Kashmiri chai is back on the winter-ish menu, a little early because September in Lahore has cooled down (slightly) 💗 Rs. 280 with crushed pistachio. #KashmiriChai #NukkarChai""",
    ),
    (
        "2024-09-23",
        "Video",
        """Billo vs the new outdoor fan. Round one: Billo. Round two: the fan. Round three: nap 🐈💨 #BilloDiaries #NukkarChai #DHALahore""",
    ),
    (
        "2024-10-04",
        "Image",
        """Chai Fact Friday: tea bags became popular by accident, when a merchant sent samples in small silk pouches and customers dunked the whole thing. Chacha Rafiq still hasn't forgiven the world for it. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2024-10-14",
        "Image",
        """Monday motivation: Chacha Rafiq has worked 35 years and still says "abhi toh shuru kiya hai". We're tired just typing that ☕ #MondayMotivation #ChachaRafiqSays #NukkarChai""",
    ),
    (
        "2024-10-25",
        "Image",
        """Chai Fact Friday: "doodh patti" literally means "milk leaf". No water, just milk and tea leaves boiled together. Simple name, serious drink. #ChaiFactFriday #DoodhPatti #NukkarChai""",
    ),
    ("2024-11-08", "Image", """Smog outside, purifiers inside, adrak chai on the table. Stay in, Lahore 😷☕ #LahoreSmog #NukkarChai"""),
    (
        "2024-11-18",
        "Image",
        """Monday motivation: you are the samosa of your friend group. Crispy outside, soft inside, occasionally too spicy 🥟 #MondayMotivation #NukkarChai""",
    ),
    (
        "2024-11-29",
        "Video",
        """Shamim Apa's pakora batter technique in 20 seconds. Whisk by hand, never a machine, and talk to it nicely (she insists) 🌶️ #NukkarChai #Pakoray #BehindTheScenes""",
    ),
    (
        "2024-12-06",
        "Image",
        """Chai Fact Friday 🏔️ Qehwa, the green tea with cardamom and almonds, is the drink of the mountains up north. Light, warming and perfect after a heavy dinner. Rs. 160. #ChaiFactFriday #Qehwa #NukkarChai""",
    ),
    (
        "2024-12-16",
        "Sidecar",
        """The brass plate is up 🥹 Swipe: the 2016 pateela, polished by Chacha Rafiq, hanging above the Gulberg counter where it all began. #NukkarChai #Since2016""",
    ),
    (
        "2024-12-31",
        "Image",
        """2024 in one cup: 540,000 of them, actually. Thank you, Lahore. See you in 2025 ☕✨ #NukkarChai #YearInReview""",
    ),
    # ---------------------------------------------------------------- 2025
    (
        "2025-01-06",
        "Image",
        """Monday motivation: the doodh patti price isn't changing in 2025. Neither is our love for you. That's it, that's the post ☕❤️ #MondayMotivation #NukkarChai""",
    ),
    (
        "2025-01-17",
        "Image",
        """Chai Fact Friday: green cardamom loses its aroma fast once ground, which is why we crack the pods by hand every morning. Smell that? That's 7 am at Gulberg. #ChaiFactFriday #Elaichi #NukkarChai""",
    ),
    (
        "2025-01-27",
        "Video",
        """Fog, a flask and a drive to Gulberg at 6:45 am. The quietest Lahore gets all year 🌫️🚗☕ #LahoreWinter #NukkarChai""",
    ),
    (
        "2025-02-07",
        "Image",
        """Five years of Billo 🐈 From tandoor kitten to Head of Outdoor Seating. Happy Billo-versary! #BilloDiaries #NukkarChai #DHALahore""",
    ),
    (
        "2025-02-14",
        "Image",
        """This Valentine's, skip the roses. Share a plate of pakoray. Nothing says love like giving someone the last one 🌹🌶️ #NukkarChai #ValentinesDay""",
    ),
    (
        "2025-02-24",
        "Image",
        """Champions Trophy in Lahore! 🏆🇵🇰 Flash your match ticket at any branch for 20% off. Green shirts get extra chutney, as always. #ChampionsTrophy #NukkarChai #Lahore""",
    ),
    (
        "2025-03-03",
        "Image",
        """Ramzan rooftop iftar, night one 🌙 60 seats, one long table, and the sound of the azaan from three mosques at once. #Ramzan2025 #NukkarChai #ModelTown""",
    ),
    (
        "2025-03-14",
        "Image",
        """Chai Fact Friday 🌙 Qehwa after taraweeh is a tradition in many homes for a reason: it's light, warm and won't keep you up. Free on the Model Town rooftop this Ramzan. #ChaiFactFriday #Qehwa""",
    ),
    (
        "2025-03-29",
        "Image",
        """Chand raat prep at Gulberg: 3,000 samosay, 40 litres of chai, one very focused Bilal bhai ✨🌙 #ChandRaat #NukkarChai""",
    ),
    (
        "2025-04-14",
        "Image",
        """Monday motivation: back to work after Eid? We have pakoray for the emotional damage 🥲🌶️ #MondayMotivation #NukkarChai""",
    ),
    (
        "2025-04-25",
        "Image",
        """Chai Fact Friday: the "three boils" in doodh patti aren't superstition. Each boil pulls more colour and body from the leaves. One boil = milky. Three boils = Nukkar. #ChaiFactFriday #DoodhPatti""",
    ),
    (
        "2025-05-05",
        "Video",
        """Making 500 cups for International Tea Day prep, sped up 16x. Chacha's moustache did not move once 🎥☕ #NukkarChai #BehindTheScenes""",
    ),
    (
        "2025-05-16",
        "Image",
        """Hot take: bun kebab > burger. We will not be taking questions. Anda shami bun kebab, Rs. 280 🍔🔥 #NukkarChai #BunKebab #LahoreEats""",
    ),
    (
        "2025-05-31",
        "Image",
        """Qawwali Friday photos are up 🎶 Thank you to the 140 of you who clapped until 1 am. See you next month on the rooftop. #Qawwali #NukkarChai #ModelTown""",
    ),
    (
        "2025-06-09",
        "Image",
        """Post-Eid BBQ recovery kit: sulemani chai, a quiet corner and no more kaleji for a week 🍋☕ #NukkarChai #EidUlAdha""",
    ),
    (
        "2025-06-20",
        "Image",
        """Chai Fact Friday ☀️ In hot weather, a hot drink can actually help you feel cooler by making you sweat a little. That's our official excuse for selling chai in June. #ChaiFactFriday #LahoreSummer""",
    ),
    (
        "2025-06-30",
        "Sidecar",
        """The kulhar results are in 🏺 Swipe: 40,000 clay cups at Model Town since January, zero paper cups, and kulhar chai coming to Gulberg and DHA next month. #Kulhar #NukkarChai #Sustainability""",
    ),
    ("2025-07-11", "Image", """The clouds over DHA are looking VERY promising ⛈️ Kadhai on standby. #BaarishAurPakoray #NukkarChai"""),
    (
        "2025-07-15",
        "Video",
        """Rain + kulhar + pakora, in slow motion 🌧️🏺🌶️ The holy trinity of a Lahore July. #BaarishAurPakoray #LahoreRain #NukkarChai""",
    ),
    (
        "2025-07-25",
        "Image",
        """Chai Fact Friday 🌧️ Besan (gram flour) batter fries crisper than wheat batter because it has less gluten. That's why pakoray stay khasta. Thank you, chickpeas. #ChaiFactFriday #Pakoray""",
    ),
    (
        "2025-08-04",
        "Image",
        """Nine years and Chacha still says it best: "Log wohi hain, chai wohi hai, sirf cup badle hain." ☕ #NukkarChai #Anniversary #ChachaRafiqSays""",
    ),
    (
        "2025-08-14",
        "Sidecar",
        """Azadi at the nukkar 🇵🇰 Swipe: green kulhars, the big flag on the rooftop, 1,400 green-chutney samosay and a very proud Shamim Apa. #14August #Pakistan #NukkarChai""",
    ),
    (
        "2025-08-25",
        "Image",
        """Monday motivation: it's still humid, your shirt is still sticking to your back, and there's still a hot chai waiting for you. Some things never change 😅 #MondayMotivation #NukkarChai""",
    ),
    (
        "2025-09-05",
        "Image",
        """Chai Fact Friday: tea was first drunk as a medicine in China thousands of years ago, long before it became a daily habit. Chacha Rafiq says it's still medicine. We're not arguing. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2025-09-15",
        "Image",
        """Kitaab aur Chai is reading poetry this month 📜 Faiz on the rooftop, second Sunday, 11 am. Bring your favourite sher. #KitaabAurChai #NukkarChai #ModelTown""",
    ),
    ("2025-09-26", "Video", """The moment Guddu realised he's getting his own counter 🥹 #NukkarChai #ChachaRafiq #Guddu"""),
    (
        "2025-10-06",
        "Image",
        """Monday motivation from Guddu, our newest full chaiwala: "Do saal lage ek cup seekhnay mein. Worth it." Two years to learn one cup. Worth it ☕ #MondayMotivation #NukkarChai""",
    ),
    (
        "2025-10-17",
        "Image",
        """Chai Fact Friday 🌿 Ginger (adrak) in chai is best added early, while the milk is heating, so its heat spreads through the whole cup. Add it late and it just sits there sulking. #ChaiFactFriday #AdrakChai""",
    ),
    (
        "2025-10-27",
        "Image",
        """The first cool evening of the season. Rooftop heaters are out. Kashmiri chai is pink. Life is good 💗 #NukkarChai #ModelTown #KashmiriChai""",
    ),
    (
        "2025-11-07",
        "Image",
        """Smog season survival kit: mask, eye drops, indoor plans and a flask of doodh patti delivered to your door 😷☕ #LahoreSmog #NukkarChai""",
    ),
    (
        "2025-11-17",
        "Image",
        """Monday motivation: Iqbal said the soil is fertile if it's just a little wet. Our pakora batter agrees 📜🌶️ #MondayMotivation #NukkarChai""",
    ),
    (
        "2025-11-28",
        "Sidecar",
        """Winter menu 2025 is here ❄️ Swipe: gur wali chai Rs. 220, masala chai Rs. 210, gajar ka halwa cup Rs. 250, and angeethi tables on the rooftop. #WinterMenu #NukkarChai""",
    ),
    (
        "2025-12-12",
        "Image",
        """Chai Fact Friday 🍬 Gajar ka halwa needs hours of slow cooking because the carrots have to give up all their water before the milk can thicken. Shamim Apa starts ours at 5 am. #ChaiFactFriday #GajarKaHalwa""",
    ),
    (
        "2025-12-25",
        "Image",
        """Merry Christmas to everyone celebrating 🎄 and happy Quaid Day, Pakistan 🇵🇰 Plum cake and chai at Model Town today. #NukkarChai #QuaidDay""",
    ),
    # ---------------------------------------------------------------- 2026
    (
        "2026-01-05",
        "Image",
        """Monday motivation: this is our tenth year. Ten. We still can't believe it either ☕🎂 #MondayMotivation #NukkarChai #10YearsOfNukkar""",
    ),
    (
        "2026-01-16",
        "Image",
        """Chai Fact Friday ☕ Loose tea leaves have room to unfurl and release flavour, which is why they make a fuller cup than dust in a bag. That's why it's loose patti only at the nukkar. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2026-01-28",
        "Video",
        """First look at the Nukkar House Blend packaging 👀📦 Yellow and green, like the 2016 cart. Coming next week. #NukkarChai #HouseBlend""",
    ),
    (
        "2026-02-06",
        "Sidecar",
        """The Nukkar House Blend is here 🍃 Swipe: 500g for PKR 1,350 and 1 kg for PKR 2,500. Kenyan + Assam, the same leaves in every cup we pour. #HouseBlend #NukkarChai #ChaiAtHome""",
    ),
    (
        "2026-02-20",
        "Image",
        """Iftar, day three 🌙 Rooftop table for 60, dates from Multan, pakoray from Shamim Apa, chai from Chacha. #Ramzan2026 #NukkarChai""",
    ),
    (
        "2026-03-06",
        "Image",
        """Chai Fact Friday 🌙 Dates (khajoor) and tea are an old iftar pair across the Muslim world: quick sugar from the dates, gentle warmth from the tea. #ChaiFactFriday #Ramzan2026""",
    ),
    (
        "2026-03-23",
        "Image",
        """Pakistan Day 🇵🇰 Chai is on us for every soldier, policeman and Rescue 1122 worker who walks in today. Thank you for your service. #PakistanDay #NukkarChai""",
    ),
    (
        "2026-04-06",
        "Image",
        """Monday motivation: it's April, the mangoes are coming, and so is the heat. Hydrate. Then caffeinate ☀️☕ #MondayMotivation #NukkarChai""",
    ),
    (
        "2026-04-17",
        "Image",
        """Chai Fact Friday: sugar was added to tea in South Asia partly because early street chai used cheap, strong dust tea, and sugar smoothed the bitterness. Our patti doesn't need it, but we won't stop you. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2026-04-27",
        "Video",
        """Samosa folding race: Bilal bhai vs Guddu 🥟⚔️ Bilal: 10 in 61 seconds. Guddu: 10 in 94 seconds and one explosion. Rematch next month. #NukkarChai #Samosa""",
    ),
    (
        "2026-05-11",
        "Image",
        """640 ammis last year. This year? Shamim Apa says she's ready for 1,000. Happy Mother's Day 🌸☕ #MothersDay #NukkarChai""",
    ),
    (
        "2026-05-22",
        "Image",
        """Chai Fact Friday ☕ International Tea Day is 21 May, and the biggest tea-drinking nations per person aren't the ones you'd guess. Lahore unofficially ranks first in our hearts. #ChaiFactFriday #InternationalTeaDay""",
    ),
    (
        "2026-06-01",
        "Image",
        """Water cooler at every branch entrance, free for anyone passing. No purchase needed. Stay safe in this heat, Lahore 💧☀️ #Heatwave #NukkarChai""",
    ),
    (
        "2026-06-12",
        "Image",
        """Chai Fact Friday: glass cups let you judge a doodh patti by its colour before the first sip. Chacha Rafiq can tell if it's had two boils or three just by looking. #ChaiFactFriday #DoodhPatti""",
    ),
    (
        "2026-06-26",
        "Video",
        """The Gulberg samosa station at 6 pm: 3 kadhais, 2 pairs of hands, 1 Bilal bhai narrating the cricket score 🥟🏏 #NukkarChai #StreetFood""",
    ),
    ("2026-07-09", "Image", """Monsoon check: umbrella ✅ pakora craving ✅ nearest Nukkar ✅ #BaarishAurPakoray #NukkarChai"""),
    (
        "2026-07-20",
        "Sidecar",
        """Rainy evening at Model Town, swipe for the full mood 🌧️🌿 wet rooftop, fogged glasses, kulhar chai and pakoray under the shade. #BaarishAurPakoray #ModelTown #NukkarChai""",
    ),
    (
        "2026-07-31",
        "Image",
        """Chai Fact Friday: tea stains in a kulhar don't wash out, and that's fine. Each kulhar is used once, then crushed and returned to the earth. Circle of chai 🏺 #ChaiFactFriday #Kulhar""",
    ),
    (
        "2026-08-03",
        "Image",
        """10 years ago today 🎂 One cart, 12 cups, 47 customers. Today: Rs. 30 chai all day at every branch. Come celebrate with us! #10YearsOfNukkar #NukkarChai""",
    ),
    (
        "2026-08-06",
        "Sidecar",
        """The tenth birthday, in 10 photos 📸 Swipe to see Chacha Rafiq cutting the cake he didn't want, 6,812 cups and the best crowd Gulberg has ever seen. #10YearsOfNukkar #NukkarChai""",
    ),
    (
        "2026-08-14",
        "Image",
        """79 saal ka Pakistan 🇵🇰 Flag on the Model Town rooftop since 6 am, Bilal bhai trying (and failing) to fold star-shaped samosay, and the same milli naghma on loop since breakfast. Azadi mubarak, Lahore! #14August #NukkarChai""",
    ),
    (
        "2026-08-24",
        "Image",
        """Monday motivation: if Chacha Rafiq can work ten years at a job he agreed to do for "one month, bas", you can get through one Monday ☕ #MondayMotivation #ChachaRafiqSays""",
    ),
    (
        "2026-09-04",
        "Image",
        """Chai Fact Friday ☕ The foam on a well-poured doodh patti comes from pouring from a height, which traps tiny air bubbles in the milk. That's the "malai" layer you love. #ChaiFactFriday #NukkarChai""",
    ),
    (
        "2026-09-14",
        "Video",
        """Book club's 50th book reveal, recorded live from the rooftop 📚 (Zoya made everyone guess for 20 minutes first.) #KitaabAurChai #NukkarChai""",
    ),
    (
        "2026-09-25",
        "Image",
        """Aaj ka special: chana chaat with pomegranate seeds and an extra squeeze of lime. Tangy, crunchy, Rs. 300 🍋 #AajKaSpecial #NukkarChai #LahoreEats""",
    ),
    (
        "2026-10-05",
        "Image",
        """Monday motivation: sweater weather is close. Kashmiri chai weather is closer 💗 #MondayMotivation #KashmiriChai #NukkarChai""",
    ),
    (
        "2026-10-16",
        "Image",
        """Chai Fact Friday 🌰 The crushed pistachio and almond on Kashmiri chai isn't just decoration: the nuts add a little crunch and richness to every sip. #ChaiFactFriday #KashmiriChai""",
    ),
    (
        "2026-10-30",
        "Image",
        """Qawwali Friday tonight, Model Town rooftop, 9 pm 🎶 Harmonium tuned, tabla ready, Kashmiri chai on the stove. #Qawwali #NukkarChai""",
    ),
    (
        "2026-11-09",
        "Image",
        """Iqbal Day poetry night on the rooftop 📜 Free entry, bring a sher, leave with a kulhar of chai. 8 pm. #IqbalDay #NukkarChai #ModelTown""",
    ),
    (
        "2026-11-16",
        "Image",
        """Monday motivation: fog at 8 am, smog at noon, and a steaming karak chai whenever you need it. Lahore, we'll get through this winter together 🌫️☕ #MondayMotivation #NukkarChai""",
    ),
    (
        "2026-11-22",
        "Image",
        """Sunday at Gulberg. Steam on the windows, Chacha at the pateela, Billo visiting from DHA for a "management inspection". Bliss ☕🐈 #NukkarChai #Gulberg""",
    ),
    # -- more, in no particular order (the builder sorts by date) --------
    ("2022-04-30", "Image", """Tag the friend who says "bas aik cup" and then orders four 😂☕ #NukkarChai #ChaiLovers"""),
    (
        "2022-06-28",
        "Sidecar",
        """Staff spotlight ⭐ Meet Naveed, head chaiwala at Gulberg since 2017. Started as a dishwasher, trained with Chacha Rafiq for a full year, and now pours about 600 cups a shift. His tip for home chai: "Doodh ko ubaal ke chhor mat do, uske saath raho." Don't leave the milk alone, stay with it. Swipe for Naveed in action 👉 #StaffSpotlight #NukkarChai""",
    ),
    (
        "2022-10-22",
        "Image",
        """Nukkar Stories 📖 A young man came to Gulberg every evening for two weeks, ordered two chai, drank one and left the other untouched. On day fifteen a young woman sat down opposite him and drank the second cup. Turns out they'd had their first date at our cart in 2016 and had a fight, and he'd been waiting for her to remember the place. They got married last month. Naveed made the chai at the wedding. #NukkarStories #NukkarChai""",
    ),
    (
        "2023-01-31",
        "Image",
        """Reminder that the Nukkar Card exists 💛 Ten stamps, tenth chai free. The card has been the same yellow since 2017. Chai stains accepted, torn corners accepted, "I lost it but I swear I had nine" not accepted. #NukkarCard #NukkarChai""",
    ),
    (
        "2023-04-29",
        "Image",
        """Bring your own cup, get 10% off your chai. Your mug, your thermos, your nani's old steel glass, all welcome 🌍☕ #NukkarChai #BringYourOwnCup""",
    ),
    (
        "2023-06-10",
        "Video",
        """Asked our customers to describe Nukkar chai in one word 🎤 Answers included "ghar", "sukoon", "addiction" and, from one honest uncle, "mehngi". Fair. #NukkarChai #StreetInterview""",
    ),
    (
        "2023-10-30",
        "Image",
        """Nukkar Stories 📖 Every Sunday at Model Town, a grandfather brings his granddaughter for "chai lessons". She is nine. He orders her a tiny cup of doodh patti with extra milk and lets her pour it into the saucer to cool, the way his father taught him in Sialkot in the 1960s. She has now started correcting his pouring technique. He says this is the proudest he's ever been. #NukkarStories""",
    ),
    (
        "2024-02-03",
        "Image",
        """The three stages of a Lahori winter morning: 1. "Bohat sardi hai." 2. "Chai pi lein?" 3. Already at the nukkar ☕❄️ #NukkarChai #LahoreWinter""",
    ),
    (
        "2024-06-14",
        "Image",
        """Father's Day is Sunday. Dads always say "mujhe kuch nahi chahiye". Bring him anyway. His bun kebab is on us 👨‍👧 #FathersDay #NukkarChai""",
    ),
    (
        "2024-10-19",
        "Sidecar",
        """Staff spotlight ⭐ Zoya has run our Model Town branch since the day it opened in 2022. She started the book club, brought qawwali to the rooftop, and knows the name of every regular's kid. Her order: Kashmiri chai, no pistachio, "because texture". Swipe for Zoya doing three jobs at once 👉 #StaffSpotlight #NukkarChai #ModelTown""",
    ),
    (
        "2025-01-22",
        "Image",
        """Nukkar Stories 📖 A delivery rider we've never met sent us a voice note last night. He'd been riding since 6 am, it was 11 pm, foggy and cold, and he stopped at DHA for a chai on his way home. Guddu didn't charge him. He said: "Aap logon ki chai pi ke laga koi ghar pe intezar kar raha hai." It felt like someone was waiting for me at home. We'll be thinking about that one for a while. #NukkarStories #NukkarChai""",
    ),
    (
        "2025-03-20",
        "Image",
        """Sehri at 3 am, tired eyes, and the best paratha in DHA. Guddu is on the tawa tonight 🍳🌙 #Sehri #Ramzan2025 #NukkarChai""",
    ),
    (
        "2025-04-05",
        "Image",
        """Things overheard at Gulberg this week: "Yaar, main diet pe hoon, sirf aik samosa." *orders three* 🥟😂 #NukkarChai #OverheardAtNukkar""",
    ),
    (
        "2025-09-20",
        "Image",
        """Overheard at DHA, 1:40 am: "Bhai, last chai." "Yeh teesri last chai hai." Real friendship is being honest about the count 😂☕ #OverheardAtNukkar #NukkarChai""",
    ),
    (
        "2026-03-13",
        "Video",
        """Taraweeh is over, the rooftop fills up, and the qehwa pots come out. 20 seconds of Ramzan peace from Model Town 🌙🍵 #Ramzan2026 #NukkarChai""",
    ),
    (
        "2026-05-02",
        "Sidecar",
        """Staff spotlight ⭐ Kiran joined Gulberg in 2023 as our first female trainee chaiwala. Three years later she runs the evening counter, has trained four new chaiwalas herself, and holds the branch record for cups in one shift: 742. Chacha Rafiq calls her "ustaad". He has never called anyone that. Swipe 👉 #StaffSpotlight #NukkarChai""",
    ),
    (
        "2026-06-20",
        "Image",
        """Nukkar Stories 📖 A family from Toronto came to Gulberg last week. The father had left Lahore in 2015, a year before we opened, but his brother had been sending him photos of our chai for years "to make him jealous". First sip, he went quiet, then laughed and said it tasted like Anarkali. Chacha Rafiq came out from behind the counter, and it turned out they were neighbours in Anarkali in the 1990s. They sat together for two hours, and the brother who had sent all those photos just stood at the counter grinning and ordering more samosay. Before leaving, the father bought a 1 kg bag of our house blend to take back to Canada. "It won't taste the same," Chacha told him. "I know," he said. "That's why I'll have to come back." Lahore is small. #NukkarStories""",
    ),
    (
        "2026-10-24",
        "Image",
        """Chai, chess and Billo at DHA every Wednesday after 9 pm ♟️🐈 Boards free, chai not. #ChaiAndChess #NukkarChai #DHALahore""",
    ),
    ("2023-02-20", "Image", """Chai? Chai. ☕ #NukkarChai"""),
    ("2024-08-27", "Image", """Samosa weather is every weather 🥟 #NukkarChai"""),
    ("2025-12-08", "Image", """Current status: fogged glasses, full cup ☕🌫️ #ChaiTime"""),
]
