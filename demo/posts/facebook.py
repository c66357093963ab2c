"""Hand-written Facebook posts of Nukkar Chai Co. (fictional), oldest first.

Each entry: (date "YYYY-MM-DD", text) or (date, text, link). Written for this
project; every post is its own. Cross-posted, near-duplicate, PII-bearing and
other planted posts live in special.py, not here.
"""

POSTS = [
    (
        "2022-01-04",
        """Naya saal, wohi purani chai ☕

2022 is here and Lahore is wrapped in dhund like a razai. Our Gulberg doors open at 7 am sharp, the pateela is already bubbling, and Chacha Rafiq says he has made exactly one resolution this year: "Chai kam nahi hogi." We support him.

Happy new year from all of us at Nukkar Chai Co. Milte hain nukkar pe! ☕""",
    ),
    (
        "2022-01-18",
        """Fog so thick this morning that our DHA rider Asif delivered a flask to the wrong house. The family kept it, invited him in, and he ended up having breakfast with them. Lahore, you are something else 😂❤️

(We sent the right customer a fresh flask on the house. Sorry Mrs. Butt!)""",
    ),
    (
        "2022-02-07",
        """Quick update for our Gulberg regulars: the gas pressure has been low all week, so the chai is taking a few minutes longer. Chacha Rafiq refuses to use the electric kettle ("woh chai nahi, garam paani hai"), so thank you for waiting with us. The samosay are unaffected, they are fried on cylinders. 🙏🔥""",
    ),
    (
        "2022-02-21",
        """PSL season means one thing at DHA Phase 5: a big screen, 120 seats and a lot of shouting. Every Lahore Qalandars match is screened live outside, and every six hit by a Qalandar gets you a free samosa (one per table, Bilal bhai is counting). Dil se Lahore! 🏏🔥 #NukkarChai #PSL7""",
    ),
    (
        "2022-03-12",
        """Model Town, we are almost ready for you.

Six months ago we walked into an old house on Link Road with peeling paint, a mango tree in the courtyard and a rooftop nobody had used in years. This week the last pot went up on the rooftop, the new pateela was seasoned by Chacha Rafiq himself, and Shamim Apa's kitchen passed its first samosa test.

We kept the mango tree. We kept the old green tiles in the verandah. We kept the little brass bell on the gate that rings every time someone walks in, which Zoya, who will run the branch, says is "going to drive me mad by April".

Branch number 3 opens on 20 March 2022. Same chai, new nukkar. 🌿☕""",
    ),
    (
        "2022-03-20",
        """WE ARE OPEN! 🎉

Nukkar Chai Co. Model Town is officially open at 23 Link Road. For the opening week every doodh patti is Rs. 100 instead of Rs. 120, and the first 100 customers every day get a free nankhatai, fresh from the oven upstairs.

Come see the rooftop at sunset. Bring your family, bring your book, bring your gup-shup. Milte hain nukkar pe! ☕ #NukkarChai #ModelTown #LahoreEats""",
    ),
    (
        "2022-03-23",
        """Pakistan Day mubarak 🇵🇰 Today at all three branches the first cup of the morning was poured for the Rescue 1122 team at the station near Gulberg. Chacha Rafiq insisted on carrying the tray himself. Pakistan Zindabad.""",
    ),
    (
        "2022-04-03",
        """Ramzan Mubarak 🌙

Our Ramzan timings for 2022: all branches open one hour before iftar and stay open until sehri. The kitchen starts frying pakoray at 5 pm sharp, so pre-order if you want them hot at the azaan. Dates and rooh afza on the house with every iftar order.

May this month bring barakat to every home. 🤲""",
    ),
    (
        "2022-04-19",
        """A small Ramzan thing we do every year: iftar for every rider and driver waiting outside our branches at maghrib, no matter which company they ride for. Last night at DHA we had 34 riders from six different apps sitting together on the steps, sharing pakoray. Best table in the house. 🤲🛵""",
    ),
    (
        "2022-05-03",
        """Eid Mubarak from the whole Nukkar family! 🌙✨

Closed until 2 pm today so our team can be with their families. From 2 pm the sheer khurma is ready and, for today only, it's free with every chai. Chand raat wali thakan utaarne ke liye, garma garam chai hazir hai.""",
    ),
    (
        "2022-05-21",
        """Today is International Tea Day, which in Lahore is just called "Saturday". ☕

To celebrate we asked our three head chaiwalas how many cups they think they have made in their lives. Answers: Chacha Rafiq, "ek crore". Naveed (Gulberg), "maybe 2 lakh". Faisal (DHA), "abhi gin raha hoon". We love them all.""",
    ),
    (
        "2022-06-09",
        """It is 46°C in Lahore today and the pakoray are still selling. We have no scientific explanation for this. We are only grateful. 🥵🔥

Stay hydrated, stay in the shade, and if you must have chai at 3 pm, come inside: the AC at Model Town is working overtime.""",
    ),
    (
        "2022-07-05",
        """Monsoon has officially arrived 🌧️ and so has the rule: when it rains, the pakora plate gets bigger. 250g becomes 300g, same price. Shamim Apa has been beating batter since 4 pm. Baarish aur pakoray, bas yehi chahiye. #BaarishAurPakoray #NukkarChai""",
    ),
    (
        "2022-08-03",
        """Six years ago today a yellow cart rolled onto a corner in Gulberg with 12 glass cups and a hand-painted sign. We sold 47 cups that night.

Yesterday we sold 1,012 across three branches.

Thank you, Lahore. For every cup, every complaint, every "bhai ek aur". Today, to everyone who asks for "the old chai", we're pouring one cup at the 2016 price: Rs. 30. 🎂☕""",
    ),
    (
        "2022-08-14",
        """Jashn-e-Azadi mubarak! 🇵🇰 75 saal, and the best thing about this country is still its people on a street corner with a cup of chai, arguing about everything and agreeing on nothing except that Lahore is the best city. Green and white kulhar at Model Town today. Pakistan Zindabad! 💚🤍""",
    ),
    (
        "2022-08-30",
        """The floods have devastated lives across Sindh, Balochistan and southern Punjab. From today until the end of September, Rs. 20 from every cup of chai we sell goes to flood relief, and we will post the receipts here.

Our Model Town branch is also a drop-off point for dry rations, blankets and medicines. Zoya and the team will pack and send every Saturday.""",
    ),
    (
        "2022-10-01",
        """Flood relief update 🙏 In one month, with your chai money, we raised PKR 624,000 and sent 3 trucks of rations from Model Town. Receipts are in the comments. Thank you to every single person who had an extra cup "for the cause". Lahore ka dil bara hai.""",
    ),
    (
        "2022-10-25",
        """A note from Hamza, one of our founders:

Many of you have noticed that our doodh patti is now Rs. 140, up from Rs. 120. Milk prices have gone up 30% this year, sugar and gas too. We held out as long as we could. We did not change the cup, the milk, the patti or the three boils, and we never will.

We looked at the other options. Powdered milk would have saved us Rs. 25 a cup. Smaller cups would have saved Rs. 15. Chacha Rafiq heard about both ideas and didn't speak to me for two days, which is how I knew they were wrong.

Students: the morning 20% discount stays. Thank you for understanding, and for still coming back. 🙏""",
    ),
    (
        "2022-11-14",
        """Smog season is back 😷 If your eyes are burning and you've had enough of the grey, come inside. Our Gulberg branch has air purifiers running, and Chacha Rafiq recommends adrak wali chai "gale ke liye". Not medical advice. Just Chacha advice.""",
    ),
    (
        "2022-12-25",
        """Merry Christmas to our Christian friends and customers across Lahore 🎄 and a very happy Quaid Day to everyone 🇵🇰 Plum cake slices at Model Town today, baked by Shamim Apa, who says it was her first time and that we should "expect nothing". We expected nothing. It was excellent.""",
    ),
    (
        "2023-01-09",
        """Winter menu alert ❄️ Gur wali chai is back at all 3 branches: jaggery from Sheikhupura instead of sugar, a bit of saunf, and that smoky sweetness that reminds you of a village morning. Rs. 170 a cup until the fog lifts. #NukkarChai #GurWaliChai""",
    ),
    (
        "2023-01-27",
        """Somebody left a note on the Gulberg counter last night: "Chacha ji, aap ki chai se meri exam ki tension khatam ho jati hai. Pass ho gaya!" We've framed it. Good luck to everyone with results this month. 📚☕""",
    ),
    (
        "2023-02-16",
        """Honest question for the comment section: do you dip the samosa in the chai? Chacha Rafiq says it is "haram-e-zaiqa", a crime against taste. Bilal bhai does it every day. The team is divided, the kitchen is tense. Settle this for us. 🥟☕""",
    ),
    (
        "2023-03-08",
        """Happy Women's Day to the women who keep this place running: Shamim Apa who runs our kitchen, Zoya who runs Model Town, Sana who started it all, and the 11 women on our counters and in our kitchens today. This year we hired our first female trainee chaiwala, Kiran, at Gulberg. Chacha Rafiq says she has "the steadiest pour since 1989". High praise. 💪☕""",
    ),
    (
        "2023-03-23",
        """Ramzan Mubarak 🌙 Our 2023 Ramzan timings:
• All branches: open 1 hour before iftar until sehri
• Pakora pre-orders: from 3 pm, ready at 6:15 pm
• Sehri menu: aloo paratha, anda, doodh patti, from 1 am

Iftar for all riders outside our branches continues, every single day. 🤲""",
    ),
    (
        "2023-04-22",
        """Eid Mubarak! 🌙 May your Eidi be generous and your chai be strong. Branches open from 3 pm today. Chacha Rafiq is wearing a new kurta and would like you to notice.""",
    ),
    (
        "2023-05-15",
        """Price update, with love and a heavy heart: from today our doodh patti is Rs. 150 (250ml). We know. Believe us, we know. Milk is up again, gas is up again, and we pay our team on the 1st of every month without fail. We would rather raise the price by Rs. 10 than cut the milk.

The Nukkar Card still gives you the 10th cup free, and the student discount of 20% before 11 am stays. 🙏""",
    ),
    (
        "2023-06-02",
        """Cricket, chai and 120 seats under the lights. DHA Phase 5 will screen every Pakistan match of the season. Reserve a table for groups of 8 or more, and yes, Billo has her own chair. 🏏🐈""",
    ),
    (
        "2023-06-29",
        """Eid ul Adha Mubarak 🐐 Branches closed on Eid day, back tomorrow at 2 pm. If you're drowning in kaleji and BBQ, remember that a doodh patti is the best digestive known to Lahoris.""",
    ),
    (
        "2023-07-11",
        """BAARISH 🌧️🌧️🌧️ Gulberg is a swimming pool, Model Town's rooftop is a waterfall, and DHA has become a boat club. All three kitchens are frying. Pakora plates are 20% bigger until the rain stops. Please come carefully, yaar, and don't drive through the underpasses. #BaarishAurPakoray""",
    ),
    (
        "2023-07-26",
        """Record day! 🔥 During yesterday's rain the three kitchens fried 180 kg of pakoray and Bilal bhai folded 1,200 samosay in Gulberg alone. His hands are fine. His shoulders have filed a complaint.""",
    ),
    (
        "2023-08-03",
        """7 saal! 🎂 Seven years ago a cart, today three branches, 58 people on the team and a cat who thinks she is the manager. We'd like to thank the rain on 3 August 2016, without which the pakora tradition would never have started.

Today only: one cup at the 2016 price of Rs. 30 for anyone who asks for "purani wali chai". Milte hain nukkar pe! ☕""",
    ),
    (
        "2023-08-14",
        """Happy Independence Day, Pakistan 🇵🇰 Flags on every table, milli naghmay on the speakers and green chutney on every samosa. We're open all day and the first 76 customers at each branch get a free kulhar chai, one for every year. 💚""",
    ),
    (
        "2023-09-05",
        """Teachers' Day is coming up and we want to thank a teacher. Tell us in the comments about the teacher who changed your life, and we'll send a chai flask to five of them at their school or home on 5 October. Last year's winner, Miss Rukhsana from Model Town, still comes in every Sunday. 🍎☕""",
    ),
    (
        "2023-10-14",
        """Pakistan vs India today. We'll be honest: we have no idea what will happen. What we do know is that DHA Phase 5 has a big screen, 120 seats, and 600 samosay ready. Come early. Stay calm. Drink chai. 🏏🇵🇰""",
    ),
    ("2023-10-15", """We don't want to talk about it. The chai was good though. ☕💔"""),
    (
        "2023-11-06",
        """Smog again 😷 Schools are closed and Lahore looks like a sepia photograph. Delivery riders are wearing masks, flasks are sealed and our 1 litre chai flask is PKR 850 for the next two weeks so you can stay home and still have proper chai. Stay safe, everyone.""",
    ),
    (
        "2023-11-30",
        """We asked Chacha Rafiq what he would do if he won the lottery. Long pause. "Ek naya pateela." That's it. That's the whole dream. We love this man. ❤️☕ #ChachaRafiqSays""",
    ),
    (
        "2023-12-18",
        """Winter evenings at Model Town are for the rooftop, a shawl and Kashmiri chai. We added angeethis (coal heaters) up there this year, 8 of them, so you can stay until your toes complain. Kashmiri chai Rs. 250, nankhatai Rs. 200 for 6. Perfect combination, no arguments. 🔥🌙""",
    ),
    (
        "2024-01-05",
        """2024 resolutions from the Nukkar team:
Chacha Rafiq: "Guddu ko chai sikhani hai."
Bilal bhai: "Samosa speed record todna hai."
Shamim Apa: "Koi mere kitchen mein bina pooche nahi aayega."
Zoya: "One book a week."
Billo: (ignored the question)

What's yours? ☕""",
    ),
    (
        "2024-01-22",
        """Chai Fact Friday came early this week: the word "chai" and the word "tea" both come from the same Chinese character. Countries that got tea by land (through Central Asia) say something like "cha" or "chai". Countries that got it by sea from the port of Amoy say "tea" or "thé". Lahore got it both ways and drinks it all day. ☕🌏""",
    ),
    (
        "2024-02-09",
        """Pakistan went to vote yesterday and today the whole of Lahore is at a chai dhaba discussing results. Same at our branches. All political views welcome, all arguments must be conducted at a reasonable volume, and all chai is still Rs. 150. 🗳️☕""",
    ),
    (
        "2024-02-26",
        """Menu update for 2024 📜 A few price changes (doodh patti is now Rs. 180 for 250ml, Rs. 240 for 350ml) and three new things:
🔸 Zafrani chai, Rs. 350, with real saffron threads
🔸 Sulemani chai, Rs. 150, for the after-biryani crowd
🔸 Nukkar Deal: 2 doodh patti + 4 aloo samosay for PKR 650

Full menu on our website, and the PDF if you are the printing type.""",
        "https://nukkarchai.pk/menu.html",
    ),
    (
        "2024-03-11",
        """Ramzan Kareem 🌙 Ramzan timings 2024: open one hour before iftar until 3 am for sehri. Family iftar platter (pakoray, samosay, fruit chaat, dahi bhallay, 4 chai) is PKR 2,200, serves four. Riders' iftar continues at all 3 branches. 🤲""",
    ),
    (
        "2024-04-10",
        """Eid Mubarak 🌙✨ From the Nukkar family to yours. Closed until 3 pm today. After that, sheer khurma with every chai and Chacha Rafiq's Eidi for the kids: one nankhatai each, no exceptions, no bargaining.""",
    ),
    (
        "2024-05-09",
        """Mother's Day is on Sunday. Bring your ammi to any branch and her chai is free, all day. Bring your nani and she also gets a nankhatai. Bring your khala and... okay, fine, khala too. 🌸☕""",
    ),
    (
        "2024-05-28",
        """Guddu update 📣 Our apprentice has been training with Chacha Rafiq for 7 months. Yesterday Chacha tasted his chai, said nothing for a whole minute, then said "theek hai". For those who don't know Chacha, "theek hai" is the highest honour in this company. Guddu cried. We all cried. Then we got back to work. 🥹☕""",
    ),
    (
        "2024-06-09",
        """Pakistan vs India in the T20 World Cup, DHA Phase 5, big screen. The match is in New York, first ball at 7:30 pm our time, which means chai until late. Kitchen open until the last ball. We've prepared emotionally. Have you? 🏏""",
    ),
    (
        "2024-06-27",
        """We love you, Lahore, but please stop asking us for "cold chai". We have tried. We have failed. Chacha Rafiq saw the prototype and walked out of the kitchen for 20 minutes. Instead, we now have lemonade and a very cold AC. Karak chai stays hot. 🥵☕""",
    ),
    (
        "2024-07-16",
        """First proper rain of the 2024 monsoon! 🌧️ All branches: pakora plate 300g for the price of 250g (Rs. 320), free extra chutney, and Chacha Rafiq's baarish playlist on the speakers (mostly Noor Jehan, some Atif, no arguments). #BaarishAurPakoray #LahoreRain""",
    ),
    (
        "2024-08-03",
        """8 saal ka safar 🎂

2016: 1 cart, 12 cups, 47 customers.
2024: 3 branches, 64 people, more than 1,500 cups a day.

The cup is the same. The pateela is the same. Chacha Rafiq's moustache is the same, maybe slightly greyer. Thank you for growing up with us, Lahore. Rs. 30 chai today for everyone who asks. Milte hain nukkar pe! ☕""",
    ),
    (
        "2024-08-20",
        """Our kitchen team's favourite order this week came from a 7-year-old at Model Town who asked for "chai without chai". We gave him warm milk with elaichi and sugar in a kulhar. He said it was "the best chai in the world". Future regular. 🥹""",
    ),
    (
        "2024-09-18",
        """Blog post! Chacha Rafiq finally agreed to explain how he makes doodh patti: how much patti for 250ml of milk, why the three boils matter and the one mistake everyone makes at home. It took us 8 years to get this out of him. Enjoy responsibly.""",
        "https://nukkarchai.pk/blog/perfect-doodh-patti.html",
    ),
    (
        "2024-10-05",
        """Happy World Teachers' Day 🍎 This year's five chai flasks went to teachers in Shahdara, Township, Ichhra, Cantt and Walton. Miss Saima from Township wrote back: "Staff room mein pehli dafa sab khamosh thay. Sab chai pee rahay thay." Thank you for teaching Lahore, and for your nominations.""",
    ),
    (
        "2024-10-30",
        """Smog advisory from the Nukkar team: masks outside, chai inside. All branches have purifiers running. Riders will deliver in sealed cups within 5 km, free on orders above PKR 1,500. Please check on your elderly neighbours this week. 🤍""",
    ),
    (
        "2024-11-20",
        """We're hiring! 🧑‍🍳 Trainee chaiwalas for Gulberg and Model Town, kitchen helpers for DHA and one shift supervisor for Model Town. Salaries above market, paid on the 1st, two meals a shift, health cover after 3 months. Women and men both welcome for every role, including behind the pateela. Details on our careers page.""",
        "https://nukkarchai.pk/careers.html",
    ),
    (
        "2024-12-12",
        """New at Gulberg: the first pateela from the 2016 cart is now hanging above the counter, with a small brass plate under it. Chacha Rafiq polished it himself and then told everyone it was "not important". He has checked on it six times today. 🥹""",
    ),
    (
        "2025-01-01",
        """Naya saal mubarak! 🎆 2025's first chai was poured at 12:00:04 am at DHA Phase 5 by Guddu, who insisted on the honour. Here's to another year of chai, gup-shup and Lahore being Lahore.""",
    ),
    (
        "2025-01-15",
        """Good news for the new year: our doodh patti stays at Rs. 180 for all of 2025. The milk price finally settled, and we found a better deal on gas cylinders. If you want to thank someone, thank Hamza and his spreadsheet. 📊☕""",
    ),
    (
        "2025-02-19",
        """Champions Trophy is coming home! 🏆 Cricket in Lahore, at Gaddafi, after all these years. DHA Phase 5 will screen every match, Model Town will screen Pakistan games on the rooftop, and every table with a ticket stub from the stadium gets 20% off. Let's go, Shaheens! 🇵🇰""",
    ),
    (
        "2025-03-01",
        """Ramzan Mubarak 🌙 2025 timings: all branches open from 5 pm (iftar) until 3:30 am (sehri). Iftar platter PKR 2,400 for four. Riders' iftar as always. And a new thing this year: our Model Town rooftop is open for taraweeh-goers after isha, with qehwa on the house. 🤲""",
    ),
    (
        "2025-03-31",
        """Eid Mubarak, Lahore 🌙✨ May this Eid bring peace to your home and too much food to your table. Branches open from 3 pm. Sheer khurma free with every chai until we run out, which Shamim Apa says will be "quickly, knowing you people".""",
    ),
    (
        "2025-04-17",
        """Something we don't say enough: thank you to our riders. They go out in 45°C heat, in rain up to their knees, in smog you can chew, and your chai still arrives hot. This month every rider gets a new helmet, a rain suit and a raise. They deserve more. 🛵❤️""",
    ),
    (
        "2025-05-21",
        """International Tea Day 🌍☕ We're celebrating the only way we know: by selling chai. But also by giving 500 cups free at our three branches between 4 and 6 pm today. First come, first served, one per person, Bilal bhai is watching.""",
    ),
    ("2025-06-07", """Eid ul Adha Mubarak 🐐 Closed today, open tomorrow from 3 pm with extra sulemani chai for all you BBQ survivors."""),
    (
        "2025-06-30",
        """The kulhar experiment is over, and the kulhar won 🏺 Since January, Model Town has served chai in clay cups instead of glass or paper. Result: 40,000 kulhars, zero paper cups, and customers telling us the chai tastes earthier (it does). From next month, kulhar chai comes to Gulberg and DHA too, at no extra cost.""",
    ),
    (
        "2025-07-14",
        """Baarish mubarak, Lahore 🌧️ Pakora plate: 300g. Price: 250g. Chutney: unlimited. Chacha Rafiq's mood: excellent. Traffic on Main Boulevard: please don't. #BaarishAurPakoray""",
    ),
    (
        "2025-08-03",
        """9 saal 🎂 Tomorrow we start year ten. Nine years ago it was just Sana, Hamza and Chacha on a corner with a cart. Today it's 71 of us. We asked Chacha what he has learnt in nine years and he said, "Log wohi hain, chai wohi hai, sirf cup badle hain." People are the same, chai is the same, only the cups change. Rs. 30 chai for everyone who asks today. ☕""",
    ),
    (
        "2025-08-14",
        """78 years of Pakistan 🇵🇰 Green kulhars, a giant flag on the Model Town rooftop and milli naghmay all day. Shamim Apa has made 1,400 green-chutney samosay. We are very proud and slightly exhausted. Pakistan Zindabad! 💚""",
    ),
    (
        "2025-09-12",
        """A regular at DHA, an old gentleman who comes every evening at 7, told us today that his wife used to order for him because he was "too shy to talk to chaiwalas". She passed away last year. Today he ordered for himself for the first time, and asked Guddu to make it "the way she liked it: kam cheeni, zyada elaichi". Guddu remembered. He has been making it that way for months.

After he finished his cup, the gentleman stood up, walked to the counter, and shook Guddu's hand without saying anything. Then he sat down again and ordered a second one, "apni marzi ki", the way he likes it himself. It turns out he likes it with extra cheeni. Forty years of marriage and she never knew. We think she probably did. ❤️""",
    ),
    (
        "2025-10-02",
        """Chai Fact Friday (on a Thursday, sue us): green tea, black tea and white tea all come from the same plant, Camellia sinensis. The difference is what happens after picking: how long the leaves are left to oxidise. Doodh patti uses black tea, fully oxidised, which is why it can stand up to all that milk. 🍃""",
    ),
    (
        "2025-11-09",
        """Iqbal Day today. Allama Iqbal never gave up on this soil: give it a little moisture, he said, and watch what it grows. We think that applies to Lahore, to its young people, and also to pakora batter. Poetry night on the Model Town rooftop at 8 pm, free entry, bring a sher. 📜""",
    ),
    (
        "2025-12-01",
        """Winter menu 2025 ❄️
🔥 Gur wali chai: Rs. 220
🔥 Masala chai: Rs. 210
🔥 Gajar ka halwa cup (150g): Rs. 250
🔥 Angeethi tables on the Model Town rooftop from 7 pm
Shawls optional, chai compulsory. #NukkarChai #WinterMenu""",
    ),
    (
        "2026-01-06",
        """Happy 2026 from the nukkar! ☕ This is the year we turn ten, and we have plans. Big ones. We can't tell you yet, but Chacha Rafiq has been seen measuring the wall in Gulberg with a tape and muttering. Stay tuned.""",
    ),
    (
        "2026-02-02",
        """Announcement 📣 After ten years of doodh patti, our house blend is finally going to your kitchen: Nukkar House Blend loose tea, PKR 1,350 for 500g and PKR 2,500 for 1 kg, at all branches and on delivery. Same Kenyan and Assam leaves we use in every cup. Chacha Rafiq's three boils not included, you'll have to practise.""",
    ),
    (
        "2026-02-18",
        """Ramzan Mubarak 🌙 2026 timings: open from 5:15 pm (iftar) until 4 am (sehri) at all 3 branches. Iftar platter PKR 2,600 for four. Riders' iftar at every branch, every day, as it has been since 2019. May this month bring peace. 🤲""",
    ),
    (
        "2026-03-20",
        """Eid Mubarak! 🌙 Closed until 3 pm, then open late. Kids get Chacha's Eidi nankhatai, adults get sheer khurma, Billo gets a new collar. Everyone wins.""",
    ),
    (
        "2026-04-14",
        """Price update for 2026: doodh patti goes to Rs. 200 (250ml) from next week, the first change since February 2024. Samosay go from Rs. 60 to Rs. 70. Everything else stays where it is. Thank you for sticking with us through the tough years. Students: your 20% morning discount is not going anywhere. 🙏""",
    ),
    (
        "2026-05-10",
        """Mother's Day: ammi's chai is free, all day, all branches. Tradition since 2022. Last year 640 ammis came. This year Shamim Apa has baked 1,000 nankhatai "just in case". 🌸""",
    ),
    (
        "2026-06-15",
        """Heatwave warning ☀️ 47°C forecast this week. Please keep water with you, check on anyone working outside and give your rider a cold drink at the door. All our branches have a free water cooler at the entrance for anyone passing by. You don't need to buy anything. 💧""",
    ),
    (
        "2026-07-08",
        """Monsoon 2026 is here 🌧️ and you know the drill. Pakoray 20% bigger, chutney unlimited, Noor Jehan on the speakers, Chacha Rafiq on the pateela. Gulberg, DHA, Model Town: all frying. #BaarishAurPakoray #NukkarChai""",
    ),
    (
        "2026-08-03",
        """10 SAAL 🎂☕🎉

On 3 August 2016 we sold 47 cups of chai from a cart on a corner in Gulberg. Today, ten years later, we have 3 branches, 78 people, a cat, a brass plate for a pateela and more love than we know what to do with.

Today at all branches: Rs. 30 chai all day (the 2016 price), a free samosa with every cup, and at 8 pm Chacha Rafiq will cut the cake at Gulberg. He did not want a cake. He is getting a cake.

Shukriya, Lahore. Milte hain nukkar pe, aur das saal! ☕""",
    ),
    (
        "2026-08-04",
        """Yesterday, in numbers: 6,812 cups of Rs. 30 chai, 4,000 free samosay, one cake, and one Chacha Rafiq who made a speech of exactly nine words: "Aap sab ki wajah se. Chai peetay rahiye. Shukriya." We are still emotional. 🥹☕""",
    ),
    (
        "2026-09-11",
        """Chai Fact Friday: a kulhar is unglazed, so it breathes. A little of the chai soaks into the clay, and the earthy smell you get with every sip is the clay itself. That's why kulhar chai tastes different, and why we've used 150,000 of them since 2025 instead of paper cups. 🏺""",
    ),
    (
        "2026-10-15",
        """Our Model Town book club, Kitaab aur Chai, just finished its 50th book! 📚 It started in 2022 with 6 people on the rooftop and now has 40 members and a waiting list. Zoya has picked the next one, and she is not telling anyone until Sunday. Come find out, 11 am.""",
    ),
    (
        "2026-11-03",
        """Smog season again, sadly 😷 Same drill as every year: purifiers on at all 3 branches, sealed delivery, and a free mask with every flask order this week. Take care of your lungs, Lahore. We'll take care of the chai.""",
    ),
    (
        "2026-11-20",
        """A winter evening at Gulberg: fog outside, windows steamed up, Chacha Rafiq humming at the pateela, Bilal bhai explaining cricket to a tourist from Korea who does not understand Urdu but is nodding anyway. Nothing special happened. That's the special thing. ☕🌫️""",
    ),
    # -- more, added in no particular order (the builder sorts by date) --
    (
        "2022-06-20",
        """Nukkar Stories 📖 Every Thursday for the last two years, four retired uncles have taken the corner table at Gulberg at exactly 5 pm. They order four doodh patti, one plate of samosay, and argue about the 1992 World Cup until 7. Last week one of them, Malik sahib, turned 80. The other three ordered a cake from the bakery next door and made Chacha Rafiq sing. He refused. Then he sang.

For the record, the argument that day was whether the 1992 World Cup team was better than the 2009 T20 team. It is not settled. It will never be settled. Malik sahib says that is exactly the point: "Jis din behas khatam, us din dosti khatam." The day the argument ends, the friendship ends. Happy 80th, Malik sahib. Same table next Thursday. #NukkarStories""",
    ),
    (
        "2022-09-19",
        """Billo update 🐈 Our DHA cat has discovered that the new outdoor heaters are warm, and now sits on top of the gas cylinder cover from 9 pm to midnight like a small orange queen. Please do not feed her samosay. She has had, according to our staff, "at least nine today". She is on a diet from tomorrow. Again.""",
    ),
    (
        "2022-11-28",
        """Catering story from the weekend: a mehndi in Bedian, 600 guests, a live chai station with two of our chaiwalas and 2,300 cups poured between 9 pm and 3 am. At one point the groom's father came behind the counter to "help" and Chacha Rafiq let him stir. Highest honour. Congratulations to Ali and Mehak! 💛""",
    ),
    (
        "2023-02-27",
        """Monday motivation from Chacha Rafiq: "Patti ko waqt do, woh rang dikhayegi." Give the tea leaves time and they will show their colour. He says this applies to people too. Happy Monday, Lahore. ☕ #MondayMotivation #ChachaRafiqSays""",
    ),
    (
        "2023-04-06",
        """Service note 🙏 Our Gulberg branch will close at 11 pm for the next three nights while we replace the old exhaust hood in the kitchen. DHA Phase 5 and Model Town are open as usual until 1 am. Bilal bhai says the new hood is so quiet he can finally hear the cricket commentary.""",
    ),
    (
        "2023-09-21",
        """Poll time 🗳️ What goes best with doodh patti?
👍 Samosa
❤️ Pakoray
😮 Bun kebab
😂 Rusk (the dip-and-pray method)
Chacha Rafiq voted for rusk, then denied it.""",
    ),
    (
        "2023-12-05",
        """Happy birthday to the woman who built our kitchen: Shamim Apa joined us in 2018 with one condition, "mera kitchen, mere rules". Five years later, those rules include: no phones near the kadhai, onions cut the night before, and nobody tastes the imli chutney without permission. We would follow her into any kitchen. 🎂""",
    ),
    (
        "2024-03-25",
        """Nukkar Stories 📖 A university student at Model Town has been doing her entire thesis at the corner table of the rooftop since October. Same seat, same Kashmiri chai, four hours a day. Yesterday she submitted. The whole staff clapped when she walked in. She ordered the same Kashmiri chai, sat in the same seat, and for the first time in six months, didn't open her laptop. Mubarak ho, Dr. Hira (almost)! 🎓 #NukkarStories""",
    ),
    (
        "2024-04-29",
        """Monday motivation: you survived the weekend, the traffic on Ferozepur Road and that email from your boss. You deserve a karak chai. That's it, that's the motivation. ☕ #MondayMotivation""",
    ),
    (
        "2024-11-04",
        """We tried to explain to our new Korean regular at Gulberg what "kadak" means. Chacha Rafiq handed him a karak chai, he took one sip and said "oh. OH." Perfect translation. 🇰🇷🤝🇵🇰""",
    ),
    (
        "2025-02-03",
        """Billo has been with us for five years now 🐈 She arrived in 2020 as a tiny ginger kitten behind the DHA tandoor, and has since been promoted to Head of Outdoor Seating, Chief Heater Inspector and Official Ignorer of Customers. Her fan mail now outnumbers Chacha Rafiq's. He has noticed. #BilloDiaries""",
    ),
    (
        "2025-04-28",
        """The monthly qawwali at the Model Town rooftop was something special last Friday. 140 people, a harmonium, two tablas and a 70-year-old uncle in the front row who knew every word and cried through "Tajdar-e-Haram". Zoya had to make 3 extra pateelay of Kashmiri chai. Thank you to everyone who came and clapped along. 🎶""",
    ),
    (
        "2025-10-20",
        """Guddu's first day as a full chaiwala at DHA 🎉 Two years with Chacha Rafiq, about 40,000 practice cups and one "theek hai" later, he now has his own pateela and his own counter. If you're at DHA this week, order a doodh patti and tell him it's good. (It is.)""",
    ),
    (
        "2026-01-26",
        """Monday motivation for exam season 📚 To everyone preparing for boards: our morning student discount is 20% on any chai before 11 am with your school or college card. Chacha Rafiq says: "Padhai bhi chai ki tarah hai, jaldi mein kharab ho jati hai." Study slowly, study well. ☕ #MondayMotivation""",
    ),
    (
        "2026-09-27",
        """A customer asked us why our samosa costs Rs. 70 when the one on the corner costs less. Fair question. Ours is folded by hand by Bilal bhai, filled with potatoes boiled that morning, fried in oil we change twice a day, and served hot or not at all. We're not saying the corner one is bad. We're saying come try ours. 🥟""",
    ),
]
