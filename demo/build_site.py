"""Write demo/site/: the website of Nukkar Chai Co., the project's fictional demo brand.

Every page gets the same <header>/<nav> and the same <footer>, so a main-text
extractor has identical boilerplate to strip on every page. Some pages also
carry boilerplate that is on a minority of pages, inside the main text where
the extractor keeps it (see EXTRAS): an offices block on 5 of the 17 pages,
"View Post" links on the blog, a copyright line under each blog post and a
quote form's field labels on the catering page. One page is a listing page, as
brand sites have them: blog/archive.html prints every blog post in full and the
latest Instagram captions (the last one cut short, as feed widgets cut them)
under a short introduction of its own. All text is
fictional and was written for this project. Deterministic: running this again
reproduces the shipped files byte for byte.

    python3 demo/build_site.py
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parent
SITE = DEMO / "site"
sys.path.insert(0, str(DEMO))

from posts import instagram  # noqa: E402

NAV = """<header class="site-header">
  <a class="brand" href="/"><img src="/img/logo.svg" alt="Nukkar Chai Co. logo" width="44" height="44"> Nukkar Chai Co.</a>
  <nav class="main-nav" aria-label="Main">
    <ul>
      <li><a href="/">Home</a></li>
      <li><a href="/about.html">About</a></li>
      <li><a href="/menu.html?utm_source=nav">Menu</a></li>
      <li><a href="/branches.html">Branches</a></li>
      <li><a href="/catering.html?utm_source=nav&amp;utm_medium=header">Catering</a></li>
      <li><a href="/events.html">Events</a></li>
      <li><a href="/blog/">Blog</a></li>
      <li><a href="/faq.html">FAQ</a></li>
      <li><a href="/contact.html#visit">Contact</a></li>
    </ul>
  </nav>
</header>"""

FOOTER = """<footer class="site-footer">
  <p class="address">Nukkar Chai Co. &middot; 14-C Main Market, Gulberg II, Lahore 54660, Pakistan</p>
  <p class="phones">Call <a href="tel:+924235781234">+92 42 3578 1234</a> &middot; WhatsApp <a href="tel:+923001234567">0300-1234567</a> &middot; <a href="mailto:hello@nukkarchai.pk">hello@nukkarchai.pk</a></p>
  <p class="social"><a href="https://www.instagram.com/nukkarchai">Instagram</a> &middot; <a href="https://www.facebook.com/nukkarchai">Facebook</a> &middot; <a href="/careers.html">Careers</a> &middot; <a href="/story-2016.html">Our story</a> &middot; <a href="/files/menu-2024.pdf">Menu (PDF)</a></p>
  <p class="legal">&copy; 2016&ndash;2026 Nukkar Chai Co. Open daily 7:00 am &ndash; 1:00 am.</p>
  <div class="cookie-banner" role="dialog" aria-label="Cookies">We use cookies to keep your chai warm. <button type="button" onclick="this.parentNode.hidden=true">Accept</button></div>
</footer>"""

TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="description" content="{description}">
<link rel="icon" href="/img/logo.svg" type="image/svg+xml">
<link rel="stylesheet" href="/css/site.css">
</head>
<body>
{nav}
<main id="content">
{body}
</main>
{footer}
</body>
</html>
"""

# ---------------------------------------------------------------------------
# Pages. Keys are paths under site/, values (title, description, body HTML).
# ---------------------------------------------------------------------------

PAGES: dict[str, tuple[str, str, str]] = {}

PAGES["index.html"] = (
    "Nukkar Chai Co. | Garma garam chai in Lahore since 2016",
    "Chai, samosay and gup-shup at three Lahore branches: Gulberg, DHA Phase 5 and Model Town.",
    """<article>
<h1>Garma garam chai, har nukkar pe &#9749;</h1>
<p>Assalam-o-alaikum and welcome to Nukkar Chai Co.! We started in 2016 as one
chai cart on a corner of Main Market, Gulberg, with a borrowed pateela, a
hand-painted sign and a man with a magnificent moustache called Chacha Rafiq.
Ten years later we have 3 branches, a kitchen full of samosay, and more or less
the same pateela. Some things you don't change, yaar.</p>
<p>Our chai is slow chai. Loose patti, fresh milk from the same dairy in Raiwind
every morning, elaichi crushed by hand, and three proper boils until it turns
the colour of a Lahori sunset. A cup of our doodh patti is 250ml of pure
comfort for Rs. 180, and on a busy day we pour more than 1,500 cups across the
three branches. Chacha Rafiq still checks every batch from Gulberg. He says he
can taste a rushed chai from across the road, and honestly, we believe him.</p>
<h2>Aaj ka special</h2>
<p>Every day the kitchen picks one thing to show off: gur wali chai on cold
mornings, keema samosay on Thursdays, and when the sky turns grey it's
baarish aur pakoray time, always. Check the <a href="/menu.html#deals">deals on
our menu</a> or read how Chacha makes <a href="blog/perfect-doodh-patti.html">the
perfect doodh patti</a> at home. New here? Start with
<a href="/story-2016.html?utm_source=home&amp;utm_campaign=story">our story</a>,
it's a good one.</p>
<h2>Come sit with us</h2>
<p>Gulberg is the original nukkar, loud and happy. DHA Phase 5 stays open late,
has the best outdoor seats in the city and a ginger cat called Billo who
believes she owns the place. Model Town has the rooftop, the book club and the
music nights. Find your nearest one on the <a href="branches.html#model-town">branches
page</a>, bring your friends, bring your amma, bring your gup-shup.</p>
<p>Follow the daily chai drama on <a href="https://www.instagram.com/nukkarchai">Instagram</a>
and <a href="https://www.facebook.com/nukkarchai">Facebook</a>. Milte hain nukkar pe! &#9749;</p>
</article>""",
)

PAGES["about.html"] = (
    "About us | Nukkar Chai Co.",
    "Who we are: a Lahore chai and street-snacks cafe started on a street corner in 2016.",
    """<article>
<h1>About Nukkar Chai Co.</h1>
<p>"Nukkar" means street corner, and every Lahori knows that the best
conversations of their life happened on one. Cricket arguments, exam
worries, first jobs, rishta gossip, all of it over a cup of chai that cost
less than the bus fare home. Nukkar Chai Co. exists to keep that corner alive,
just with cleaner cups and a roof for when it rains.</p>
<p>We were started in 2016 by two siblings from Gulberg, Sana and Hamza
Qureshi. Hamza had quit a bank job and Sana had just finished architecture
school, so naturally they decided to sell chai. Sana designed the first cart,
Hamza did the maths on the back of a receipt, and Chacha Rafiq, who had been
making chai in Anarkali since 1989, agreed to join them "for one month, bas".
He is still here. You can read the whole thing in
<a href="story-2016.html">our 2016 story</a>.</p>
<h2>What we believe in</h2>
<p>Chai jaldi mein nahi banti: chai is never made in a hurry. We use loose tea,
fresh full-cream milk and real spices, and we boil it properly. Our snacks are
made in small batches through the day, so the samosa you get at 11 pm is as
crisp as the one at 11 am. Prices stay fair, because a nukkar is for
everyone, the student with Rs. 300 in his pocket and the uncle who orders a
PKR 1,250 family platter and pretends he will share it.</p>
<p>We now run 3 branches and employ 64 people, from chaiwalas and cooks to
riders and dishwashers, and about 20% of our team are women, in the kitchen
and on the counter. Every new chaiwala trains with Chacha Rafiq for at least
6 weeks before pouring a cup for a customer. If that sounds like your kind of
place, have a look at <a href="/careers.html">careers</a>.</p>
<p>Questions, complaints, love letters about our pakoray? Write to us through the
<a href="/contact.html">contact page</a>. Milte hain nukkar pe! &#9749;</p>
</article>""",
)

PAGES["menu.html"] = (
    "Menu | Nukkar Chai Co.",
    "Chai, snacks and deals at Nukkar Chai Co., with 2024 prices.",
    """<article>
<h1>Our menu</h1>
<p>Two things keep a nukkar running: chai and something crunchy to go with it.
Our menu is short on purpose. Everything on it is made fresh in our own
kitchens, and everything on it has been tasted, argued about and approved by
Chacha Rafiq at least once. Prices below are for 2024 and include tax. If you
prefer paper, download the <a href="/files/menu-2024.pdf">printable menu (PDF)</a>.</p>
<h2>Chai</h2>
<p>The heart of the house. Our doodh patti is Rs. 180 for a 250ml cup and
Rs. 240 for the large 350ml. Karak chai and elaichi chai are Rs. 200, gur wali
chai is Rs. 220, and our pink Kashmiri chai with pistachio and almond is
Rs. 280. Taking chai to the office? The 1 litre chai flask serves five or six
people for PKR 1,050. Full list on the <a href="menu/chai.html">chai menu</a>.</p>
<h2>Snacks</h2>
<p>Aloo samosay are Rs. 60 each and keema samosay Rs. 90. A 250g plate of mixed
pakoray with imli chutney is Rs. 320, and the anda shami bun kebab, a proper
Lahori one, is Rs. 280. There are also chicken roll parathas, chana chaat, dahi
bhallay and the nankhatai that aunties keep asking us about. See the
<a href="menu/snacks.html">snacks menu</a>.</p>
<h2 id="deals">Deals</h2>
<p>The Nukkar Deal gets you 2 doodh patti and 4 aloo samosay for PKR 650. The
Family Platter, 4 chai, 8 samosay and 250g of pakoray, is PKR 1,250. Students
with a valid card get 20% off any chai before 11 am, and if you bring your own
cup we knock 10% off your drink, because the planet likes chai too.</p>
<p>Allergies or questions about sugar and milk? Our <a href="faq.html#diet">FAQ</a>
has answers, and our staff will happily make any chai with less sugar, no
sugar or almond milk.</p>
</article>""",
)

PAGES["menu/chai.html"] = (
    "Chai menu | Nukkar Chai Co.",
    "Every chai we pour, from doodh patti to Kashmiri chai, with 2024 prices.",
    """<article>
<h1>The chai menu</h1>
<p>Every cup starts the same way: loose patti from our own house blend, fresh
milk delivered every morning and water from a filter we clean more often than
our own rooms. What happens next depends on what you order. All prices are
2024 prices, taxes included.</p>
<h2>Doodh patti &mdash; Rs. 180 (250ml) / Rs. 240 (350ml)</h2>
<p>Tea leaves cooked straight in milk, no water, boiled three times. Strong,
creamy and slightly caramel. This is the cup Chacha Rafiq has been making since
1989, and it is still half of everything we sell. If you only try one thing,
try this. The recipe (nearly all of it) is on <a href="../blog/perfect-doodh-patti.html">our blog</a>.</p>
<h2>Karak chai &mdash; Rs. 200</h2>
<p>Darker, stronger, with a kick of ginger. Made for exam nights and long drives.</p>
<h2>Elaichi chai &mdash; Rs. 200 &middot; Masala chai &mdash; Rs. 210</h2>
<p>Green cardamom crushed by hand for the first; cinnamon, clove, black pepper and
saunf for the second. Both are winter favourites.</p>
<h2>Gur wali chai &mdash; Rs. 220</h2>
<p>Sweetened with jaggery from Sheikhupura instead of sugar. Tastes like a village
winter morning, even in Gulberg traffic.</p>
<h2 id="kashmiri-chai">Kashmiri chai &mdash; Rs. 280</h2>
<p>Pink, salty-sweet, slow-cooked for 90 minutes and topped with crushed
pistachio and almond. Yes, the colour is real. No, we don't add food colour.</p>
<h2>Zafrani chai &mdash; Rs. 350 &middot; Sulemani &mdash; Rs. 150 &middot; Qehwa &mdash; Rs. 160</h2>
<p>Saffron for special days, black tea with lemon for the after-biryani crowd,
and green qehwa for those who are "being healthy this month".</p>
<h2>Take it home</h2>
<p>The chai flask holds 1 litre and costs PKR 1,050. Our Nukkar House Blend loose
tea is PKR 1,350 for 500g and PKR 2,500 for 1 kg. Pair it with something from the
<a href="snacks.html">snacks menu</a> or go back to the <a href="../menu.html">full menu</a>.</p>
</article>""",
)

PAGES["menu/snacks.html"] = (
    "Snacks menu | Nukkar Chai Co.",
    "Samosay, pakoray, bun kebab and more: the street snacks of Nukkar Chai Co.",
    """<article>
<h1>The snacks menu</h1>
<p>A chai without a snack is like Lahore without traffic: technically possible,
but why would you want it? Our snacks come out of the kitchen in small batches
all day long, so they reach you hot. Shamim Apa, who runs our kitchen, refuses
to let a samosa sit under a lamp for more than 20 minutes. We have stopped
arguing with her. All prices are 2024 prices.</p>
<h2>Samosay</h2>
<p>Aloo samosa, Rs. 60 each: spiced potato and peas in a pastry that shatters
properly. Keema samosa, Rs. 90 each: minced beef, green chilli and a secret we
are not telling you. Bilal bhai at Gulberg folds about 800 of them on a normal
day and 1,200 when it rains.</p>
<h2>Pakoray</h2>
<p>Mixed pakoray, 250g for Rs. 320: potato, onion, spinach and green chilli in
Shamim Apa's besan batter, with imli chutney and green chutney. On rainy days
the plate is 20% bigger. That is not a marketing trick, it is a moral position.
Read about it in <a href="../blog/baarish-aur-pakoray.html">baarish aur pakoray</a>.</p>
<h2>From the tawa</h2>
<p>Anda shami bun kebab, Rs. 280. Chicken roll paratha, Rs. 450. Aloo paratha
with butter and achaar, Rs. 260. The tawa is hottest after 6 pm, when the
office crowd arrives.</p>
<h2>Chaat and sweets</h2>
<p>Chana chaat Rs. 300, dahi bhallay Rs. 320, jalebi 250g Rs. 300, and our
nankhatai, 6 pieces for Rs. 240, baked every morning at Model Town.</p>
<h2>Coming soon</h2>
<p>We are testing a Sunday <a href="/menu/halwa-puri.html">halwa puri breakfast</a>
at Gulberg. Chacha Rafiq has opinions about the halwa. Watch this space, and
meanwhile see the <a href="chai.html#kashmiri-chai">chai menu</a> or the
<a href="../menu.html#deals">deals</a>.</p>
</article>""",
)

PAGES["branches.html"] = (
    "Branches | Nukkar Chai Co.",
    "Three Lahore branches: Gulberg (since 2016), DHA Phase 5 (2019) and Model Town (2022).",
    """<article>
<h1>Our branches</h1>
<p>Three branches, three personalities, one chai. All of them are open every day
from 7:00 am to 1:00 am, and DHA stays open until 2:00 am on Fridays and
Saturdays. Every branch takes cash, cards, JazzCash and Easypaisa.</p>
<h2 id="gulberg">Gulberg &mdash; the original (since 2016)</h2>
<p>14-C Main Market, Gulberg II. This is where the cart stood in 2016, and the
shop still opens onto the same corner. It is small, loud and always busy: 40
seats inside, a counter where you can watch Chacha Rafiq at the pateela, and
Bilal bhai at the samosa station narrating cricket to anyone who will listen.
Parking is tricky after 7 pm, so come by rickshaw if you can.
<a href="https://maps.example.org/?q=Nukkar+Chai+Gulberg">Open in maps</a>.</p>
<h2 id="dha">DHA Phase 5 &mdash; the late-night one (since 2019)</h2>
<p>Plot 88, Block CCA, DHA Phase 5. Opened in November 2019 with the biggest
outdoor seating area we have, about 120 seats under strings of lights.
Students, night owls and cricket-match crowds live here. So does Billo, our
ginger cat, who was found as a kitten behind the tandoor in 2020 and has been
management ever since. <a href="https://maps.example.org/?q=Nukkar+Chai+DHA+Phase+5">Open in maps</a>.</p>
<h2 id="model-town">Model Town &mdash; the rooftop (since 2022)</h2>
<p>23 Link Road, Model Town. Our newest and calmest branch, opened in March 2022
in an old house with a rooftop full of plants. Zoya runs it, along with the
Sunday book club and the music nights listed on our <a href="events.html">events
page</a>. The nankhatai for all 3 branches is baked here every morning, so it
smells like a nani's kitchen. <a href="https://maps.example.org/?q=Nukkar+Chai+Model+Town">Open in maps</a>.</p>
<p>Want us at your office or wedding instead? See <a href="catering.html">catering</a>.</p>
</article>""",
)

PAGES["story-2016.html"] = (
    "Our story: 2016 | Nukkar Chai Co.",
    "How a chai cart on a Gulberg corner became Nukkar Chai Co.",
    """<article>
<h1>How it started: one cart, one corner, 2016</h1>
<p>On a wet August evening in 2016, a wooden cart painted yellow and green was
pushed onto the corner of Main Market, Gulberg. It had a gas stove, a dented
pateela, twelve glass cups and a cardboard sign that said "Nukkar Chai &mdash;
Rs. 30". Sana Qureshi had designed the cart on her laptop; her brother Hamza had
spent his last salary from the bank building it. Neither of them knew how to
make chai for more than four people.</p>
<p>That's where Chacha Rafiq comes in. He had been running a small chai stall in
Anarkali since 1989, until the building was sold. Hamza had been drinking his
chai since college, so he went to find him. The story, as Chacha tells it,
is that Hamza asked him three times, and the third time he said yes only
because "yeh larka chai ka izzat karta hai": this boy respects chai. He agreed
to help for one month. He is still here, and now he trains every chaiwala we
hire.</p>
<p>The first evening they sold 47 cups. It started raining at 8 pm, Sana ran to
the market for besan and onions, and Chacha fried pakoray on the same stove.
The pakoray sold out in forty minutes. That night became the rule we still
follow: when it rains in Lahore, the pakoray come out.</p>
<p>In 2017 the cart moved inside a tiny shop on the same corner. In 2019 we opened
DHA Phase 5, and in 2022 Model Town. Today we serve over 1,500 cups a day, but
the first pateela still hangs above the counter in Gulberg, and on our
birthday every August we sell one cup at the 2016 price of Rs. 30 to
everyone who asks for "the old chai". Come and ask. Read more <a href="about.html">about us</a>
or meet Chacha properly on <a href="blog/chacha-rafiq-since-1989.html">the blog</a>.</p>
</article>""",
)

PAGES["catering.html"] = (
    "Catering and chai stations | Nukkar Chai Co.",
    "Live chai stations and snack platters for weddings, offices and events in Lahore.",
    """<article>
<h1>Catering: we bring the nukkar to you</h1>
<p>Mehndi, office townhall, cricket final screening, university reunion: every
Lahori gathering is better with a chaiwala in the corner. Our live chai station
comes with a trained chaiwala, a proper pateela on a gas stove, kulhar or glass
cups, and a steady supply of snacks from our kitchen. Guests queue, the smell
spreads, and suddenly your event has a nukkar.</p>
<h2>Packages</h2>
<p>The Chai Station starts at Rs. 850 per head for a minimum of 30 guests and
includes unlimited doodh patti and elaichi chai for three hours, plus two
snacks per person. The Full Nukkar package, at Rs. 1,450 per head, adds
Kashmiri chai, live pakoray, bun kebabs and jalebi. For offices we also deliver
chai flasks (1 litre each, PKR 1,050) and samosa boxes of 24 for PKR 1,400,
before 10 am, anywhere in Gulberg, DHA and Model Town.</p>
<p>Last year our catering team served more than 40,000 cups at 210 events, including a
wedding in Bedian where we poured 2,300 cups in one night and Chacha Rafiq
personally danced at the baraat. Bookings of 200 guests or more get 10% off the
per-head price.</p>
<h2>How to book</h2>
<p>Tell us the date, the venue and roughly how many guests are coming, at least
7 days in advance (3 weeks in wedding season, please, we beg you). Call
<a href="tel:+924235781234">+92 42 3578 1234</a>, message us on WhatsApp, or use the
<a href="contact.html?utm_source=catering#form">contact form</a>. We will send a quote within a day.
Dietary questions are answered in the <a href="faq.html#diet">FAQ</a>.</p>
<p>Catering desk: 042-3581234-40 (UAN: 111-685-527), or WhatsApp 0321-7654321/2 for
same-week bookings. Menus and quotes by email from events [at] nukkarchai [dot] pk.</p>
</article>""",
)

PAGES["careers.html"] = (
    "Careers | Nukkar Chai Co.",
    "Work at Nukkar Chai Co.: chaiwalas, kitchen staff, riders and managers.",
    """<article>
<h1>Work with us</h1>
<p>We are 64 people across 3 branches, and most of us came in as customers
first. If you like people, don't mind early mornings or late nights, and think
a good cup of chai can fix most things, you will fit in here.</p>
<h2>Open roles</h2>
<p>Trainee chaiwala (Gulberg and Model Town): you will train with Chacha Rafiq
for 6 weeks, learn the three boils, the patti ratios and how to pour 200 cups
an hour without spilling. Kitchen helper (DHA Phase 5): samosa folding, pakora
frying, lots of onion cutting, good music. Delivery rider (all branches):
your own bike, a valid licence and a steady hand with hot flasks. Shift
supervisor (Model Town): two years of restaurant or retail experience.</p>
<h2>What we offer</h2>
<p>Salaries above the market rate, paid on the 1st of every month, never late.
Two meals and unlimited chai every shift. Health cover for you and your family
after 3 months. Pick-and-drop for late shifts that end after midnight. A 20%
staff discount on everything, including the house blend tea your mother will
ask you to bring home. Every year in August, on our birthday, the whole team
gets a day off and Chacha Rafiq makes the chai for us.</p>
<p>We hire women and men for every role, including chaiwala, and about 20% of our
team are women today. We would like that number to be higher.</p>
<h2>How to apply</h2>
<p>Send a short note about yourself through the <a href="contact.html">contact page</a>
or drop in at any branch between 3 pm and 5 pm and ask for the manager. No CV
needed for trainee roles, just come hungry. Already on the team? Your shifts
are on the <a href="/staff/rota.html">staff rota</a>.</p>
</article>""",
)

PAGES["blog/index.html"] = (
    "Blog | Nukkar Chai Co.",
    "Stories, recipes and chai facts from Nukkar Chai Co.",
    """<article>
<h1>Chai ki baatein: the Nukkar blog</h1>
<p>Recipes, people and the occasional strong opinion from the three branches of
Nukkar Chai Co. We post when we have something worth saying, which, given how
much Chacha Rafiq talks, is fairly often.</p>
<section>
<h2><a href="perfect-doodh-patti.html">How to make the perfect doodh patti</a></h2>
<p>Chacha Rafiq finally agreed to share (most of) the way he makes our doodh patti:
how much patti for 250ml of milk, why you boil three times, and the one mistake
everybody makes at home. Photos were not allowed near the pateela, so you will have
to imagine it.</p>
<p class="read-more"><span role="link" tabindex="0" data-href="perfect-doodh-patti.html">View Post</span></p>
</section>
<section>
<h2><a href="baarish-aur-pakoray.html">Baarish aur pakoray: a Lahore love story</a></h2>
<p>Why does the first drop of monsoon rain make a whole city hungry for fried
besan? Shamim Apa explains her batter, her 1 kg rule and why we make the pakora
plate 20% bigger when it rains.</p>
<p class="read-more"><span role="link" tabindex="0" data-href="baarish-aur-pakoray.html">View Post</span></p>
</section>
<section>
<h2><a href="chacha-rafiq-since-1989.html?utm_source=blog-index">Chacha Rafiq: at the pateela since 1989</a></h2>
<p>From a stall in Anarkali to the counter in Gulberg, the life of our head
chaiwala in his own words: the customers he remembers, the chai he will never
make, and the day he almost went back home to Okara.</p>
<p class="read-more"><span role="link" tabindex="0" data-href="chacha-rafiq-since-1989.html?utm_source=blog-index">View Post</span></p>
</section>
<p>Want more? Our <a href="../faq.html">FAQ</a> answers the practical questions, and the
<a href="../story-2016.html">2016 story</a> tells how it all began. Or read
<a href="archive.html">the whole blog on one page</a>.</p>
</article>""",
)

PAGES["blog/perfect-doodh-patti.html"] = (
    "How to make the perfect doodh patti | Nukkar Chai Co. blog",
    "Chacha Rafiq's method for doodh patti at home: milk, patti, three boils.",
    """<article>
<h1>How to make the perfect doodh patti (Chacha Rafiq's way)</h1>
<p class="byline">Posted in 2024 by the Nukkar team</p>
<p>For eight years customers have asked us for the recipe, and for eight years
Chacha Rafiq has said "aap ghar pe nahi bana sakte", you can't make it at home.
This year we finally wore him down. Here is (almost) everything, for two cups.</p>
<h2>What you need</h2>
<p>500ml of fresh full-cream milk, that is two of our 250ml cups. Two heaped
teaspoons of loose black tea, about 8g; our house blend is a mix of Kenyan
and Assam leaves, but any strong loose patti will do. Two green elaichi pods,
crushed, not powdered. Sugar to taste; Chacha uses 2 teaspoons for two cups and
looks at you sadly if you ask for more. No water. Doodh patti means milk and
tea, nothing else.</p>
<h2>The three boils</h2>
<p>Put the milk and elaichi in a heavy pan on medium heat. When the milk is hot
but not boiling, add the patti and the sugar. Now watch it. When it rises the
first time, lower the flame and let it settle. Raise it again. Let it rise a
second time, and a third. Each boil pulls more colour and body out of the
leaves. Between boils, lift the chai with a ladle and pour it back from a
height, which is what makes it smooth. The whole thing takes 7 to 8 minutes.
Strain into warm cups.</p>
<h2>The mistake everybody makes</h2>
<p>High flame. People are in a hurry, so they boil the milk hard and the chai
tastes burnt and thin. Chacha's rule: chai jaldi mein nahi banti. If you are in
a hurry, come to Gulberg and buy one for Rs. 180 instead.</p>
<p>Share your attempts with us on <a href="https://www.instagram.com/nukkarchai">Instagram</a>.
Back to the <a href="index.html">blog</a> or on to the <a href="../menu/chai.html">chai menu</a>.</p>
</article>""",
)

PAGES["blog/baarish-aur-pakoray.html"] = (
    "Baarish aur pakoray: a Lahore love story | Nukkar Chai Co. blog",
    "Why Lahore eats pakoray when it rains, and how Shamim Apa makes hers.",
    """<article>
<h1>Baarish aur pakoray: a Lahore love story</h1>
<p class="byline">Posted in 2023 by Shamim Apa, with help from the Nukkar team</p>
<p>In Lahore, rain is not weather, it is an event. The sky goes dark over the
canal, the smell of wet earth comes in through every window, and within ten
minutes half the city is asking the other half "pakoray banayen?". At Nukkar
Chai we stopped asking years ago. When it rains, the pakoray come out, at all
3 branches, no questions asked. It has been the rule since the very first night
of the cart in 2016, when it poured at 8 pm and Chacha Rafiq fried pakoray on
the chai stove.</p>
<h2>Shamim Apa's batter</h2>
<p>"Besan is the whole story," says Shamim Apa, who has run our kitchen since
2018. Her rule is 1 kg of besan to roughly 600ml of cold water, added slowly,
beaten by hand until the batter falls off the spoon like a ribbon. Then salt,
red chilli, crushed coriander seeds, ajwain and a little hot oil from the
kadhai, which she says makes the pakoray "khasta", crisp all the way through.
Onions go in thin, potatoes thinner, spinach whole, green chillies split.</p>
<h2>Why the plate gets bigger</h2>
<p>On rainy days our 250g pakora plate becomes 300g at the same price of
Rs. 320. That is 20% more pakoray, because rain is for sharing and someone
always steals from your plate. On the wettest day of 2023 we fried almost
180 kg of pakoray across the three kitchens, and Bilal bhai folded 1,200
samosay on top of that.</p>
<p>So when you hear thunder, you know where to find us. Check the
<a href="../menu/snacks.html">snacks menu</a>, or go back to the <a href="./">blog</a>.
Milte hain nukkar pe! &#9749;&#127783;&#65039;</p>
</article>""",
)

PAGES["blog/chacha-rafiq-since-1989.html"] = (
    "Chacha Rafiq: at the pateela since 1989 | Nukkar Chai Co. blog",
    "The life of Nukkar Chai's head chaiwala, in his own words.",
    """<article>
<h1>Chacha Rafiq: at the pateela since 1989</h1>
<p class="byline">Posted in 2024 by the Nukkar team</p>
<p>Muhammad Rafiq was born in a village near Okara and came to Lahore at
seventeen to work at his uncle's chai stall in Anarkali. That was 1989. He
has made chai almost every day since then, which by his own careful
estimate is "ek crore cup, shayad zyada": ten million cups, maybe more. He
joined us in 2016 for one month. We are now in his ninth year.</p>
<h2>The customers he remembers</h2>
<p>"Anarkali mein sab aate thay." Everyone came to Anarkali: students from
Government College, lawyers from the courts, poets who never paid on time. He
remembers a cricketer who drank six cups before a match in 1992 and a young
couple who had their first date over his chai and came back twenty years later
with their son. In Gulberg, he says, the customers are in more of a hurry, but
they still wait for a good cup.</p>
<h2>The chai he will never make</h2>
<p>Tea bags. Powdered milk. Anything with "vanilla" in the name. He made one
exception in 2021, a sugar-free doodh patti for a diabetic regular, and now it
is on the menu at the same Rs. 180. "Sugar nahi, pyaar daalo," he says. Put in
love instead of sugar.</p>
<h2>The day he almost left</h2>
<p>In 2017, when the cart moved into the shop, the new stove was too fast and
Chacha hated it. He packed a bag to go home to Okara. Hamza found him at the
bus stop at 6 am, bought him a chai from a stall there, and they both agreed it
was terrible. Chacha came back to fix the stove. He has not talked about
leaving since.</p>
<p>Meet him at Gulberg any morning from 7 am. Read <a href="perfect-doodh-patti.html">his
doodh patti method</a> or go back to the <a href="index.html">blog</a>.</p>
</article>""",
)

# The listing page: the blog posts above in full (headings one level down), then the latest
# Instagram captions as a feed widget shows them, the last one cut short.
ARCHIVE_POSTS = ["blog/perfect-doodh-patti.html", "blog/baarish-aur-pakoray.html", "blog/chacha-rafiq-since-1989.html"]
ARCHIVE_CAPTION_DATES = ["2022-07-19", "2022-03-21"]  # Instagram posts (demo/posts/instagram.py), by date
ARCHIVE_EXCERPT_CHARS = 90  # the last caption is cut here, with an ellipsis


def archive_captions() -> list[str]:
    """The feed widget's captions: whole, then the last one cut at ARCHIVE_EXCERPT_CHARS."""
    captions = [next(text for date, _, text in instagram.POSTS if date == wanted) for wanted in ARCHIVE_CAPTION_DATES]
    return captions[:-1] + [captions[-1][:ARCHIVE_EXCERPT_CHARS].rstrip() + "\u2026"]


def archive_body() -> str:
    posts = []
    for rel in ARCHIVE_POSTS:
        inner = PAGES[rel][2].removeprefix("<article>\n").removesuffix("\n</article>")
        inner = inner.replace("h2>", "h3>").replace("h1>", "h2>")
        posts.append(f'<section class="archived-post">\n{inner}\n</section>')
    feed = "\n".join(f'<p class="caption">{html.escape(caption, quote=False)}</p>' for caption in archive_captions())
    return "\n".join(
        [
            "<article>",
            "<h1>The whole Nukkar blog on one page</h1>",
            "<p>For readers who would rather scroll than click: every story we have posted so far, one after",
            "the other, best read slowly with a second cup of chai.</p>",
            *posts,
            '<section class="feed">\n<h2>Latest on our Instagram</h2>',
            feed,
            "</section>",
            "</article>",
        ]
    )


PAGES["blog/archive.html"] = (
    "The whole blog on one page | Nukkar Chai Co.",
    "Every Nukkar Chai Co. blog post on one page, and our latest Instagram posts.",
    archive_body(),
)

PAGES["faq.html"] = (
    "FAQ | Nukkar Chai Co.",
    "Opening hours, delivery, diet, payments and more at Nukkar Chai Co.",
    """<article>
<h1>Frequently asked questions</h1>
<h2 id="opening-hours">When are you open?</h2>
<p>Every day from 7:00 am to 1:00 am at all 3 branches. DHA Phase 5 stays open
until 2:00 am on Fridays and Saturdays. During Ramzan we open one hour before
iftar and stay open through sehri, with special timings posted on our
Instagram every year.</p>
<h2 id="delivery">Do you deliver?</h2>
<p>Yes, within 5 km of each branch, with our own riders, from 9 am to midnight.
Chai travels in sealed 350ml cups or 1 litre flasks so it arrives hot. Delivery
is Rs. 150, and free on orders above PKR 1,500.</p>
<h2 id="diet">Sugar, milk and allergies</h2>
<p>Any chai can be made with less sugar or no sugar, and our sugar-free doodh
patti costs the same Rs. 180. Almond milk is available for Rs. 90 extra. All
our meat is halal and comes from the same two butchers in Lahore we have used
since 2016. Pakoray and samosay are fried in a shared kadhai, so please tell
us about allergies before you order; our kitchens handle nuts, wheat, dairy
and sesame.</p>
<h2 id="payments">How can I pay?</h2>
<p>Cash, debit and credit cards, JazzCash and Easypaisa at every branch.</p>
<h2 id="loyalty">Do you have a loyalty card?</h2>
<p>The Nukkar Card: get it stamped with every chai and your 10th cup is free. The
card has been the same yellow colour since 2017 and, yes, it still works if
it has chai stains on it.</p>
<h2 id="old-menu">I have an old link to your menu. Does it still work?</h2>
<p>It should. Links to our <a href="/old-menu">old menu page</a> take you to the
current <a href="menu.html">menu</a> automatically.</p>
<h2 id="reservations">Can I reserve a table?</h2>
<p>For groups of 8 or more, yes, at least a day in advance through the
<a href="contact.html">contact page</a>. Rooftop tables at Model Town fill up fast on
Fridays, so book early.</p>
</article>""",
)

PAGES["contact.html"] = (
    "Contact | Nukkar Chai Co.",
    "Call, email or visit Nukkar Chai Co. in Gulberg, DHA Phase 5 and Model Town.",
    """<article>
<h1>Contact us</h1>
<p>Bilkul, let's talk. Whether you want to book a chai station for your
sister's mehndi, tell us the samosa was too spicy, or just say that Billo the
cat ignored you again, we read every message. The head office is upstairs
from the Gulberg branch, which means your email is probably answered by
someone holding a cup of chai.</p>
<h2 id="visit">Visit</h2>
<p>Gulberg: 14-C Main Market, Gulberg II, Lahore. DHA Phase 5: Plot 88, Block
CCA. Model Town: 23 Link Road. Directions and opening hours for all 3
branches are on the <a href="branches.html">branches page</a>, and you can also
<a href="https://maps.example.org/?q=Nukkar+Chai+Co+Lahore">find us on the map</a>.</p>
<h2 id="call">Call or write</h2>
<p>Our landline <a href="tel:+924235781234">+92 42 3578 1234</a> is answered from 9 am to
9 pm. For orders and quick questions, message us on WhatsApp at
<a href="tel:+923001234567">0300-1234567</a>. Emails go to
<a href="mailto:hello@nukkarchai.pk">hello@nukkarchai.pk</a>, and catering quotes to
<a href="mailto:events@nukkarchai.pk?subject=Catering%20enquiry">events@nukkarchai.pk</a>.
We reply within one working day, usually much faster, because Zoya checks
the inbox between every book club chapter.</p>
<h2 id="form">Send a message</h2>
<p>Tell us your name, how to reach you and what's on your mind. For catering,
please include the date, the venue and the number of guests.</p>
<form action="/contact.html" method="get">
<p><label>Name <input type="text" name="name"></label></p>
<p><label>Email or phone <input type="text" name="reach"></label></p>
<p><label>Message <textarea name="message" rows="5"></textarea></label></p>
<p><button type="submit">Send</button></p>
</form>
<p>Prefer to DM? We are <a href="https://www.instagram.com/nukkarchai">@nukkarchai on Instagram</a>
and on <a href="https://www.facebook.com/nukkarchai">Facebook</a>.</p>
</article>""",
)

# events.html: the event list exists only after the inline script runs. The
# sentence "Qawwali Night at Model Town on the last Friday of every month" is
# assembled from pieces, so it never appears literally in the HTML source.
PAGES["events.html"] = (
    "Events | Nukkar Chai Co.",
    "Music nights, book club, chess and rainy-day pakora hours at Nukkar Chai Co.",
    """<article>
<h1>Events at the nukkar</h1>
<p>A nukkar is more than a place to drink chai. It is where the neighbourhood
meets. Through the year our branches host music, books, games and the odd
cricket screening, and most of it is free: you just buy a chai and sit down.
The current programme is below. For private events and weddings, have a look
at <a href="catering.html">catering</a> instead.</p>
<div id="event-list" class="event-list" aria-live="polite"></div>
<noscript><p>Please enable JavaScript to see our events.</p></noscript>
</article>
<script>
(function () {
  var events = [
    {
      title: "Qawwali Night",
      where: "Model Town",
      when: "on the last Friday of every month",
      more: "The rooftop fills up with harmonium, tabla and clapping from 9 pm until late. Entry is free, and Kashmiri chai is Rs. 250 all night."
    },
    {
      title: "Kitaab aur Chai book club",
      where: "Model Town",
      when: "every second Sunday at 11 am",
      more: "Zoya picks one Urdu and one English book a month. Bring your copy, we bring the chai and the nankhatai."
    },
    {
      title: "Chai and Chess",
      where: "DHA Phase 5",
      when: "every Wednesday after 9 pm",
      more: "Boards are on the house. Billo the cat has been known to sit on the losing side."
    },
    {
      title: "Baarish Pakora Hour",
      where: "all 3 branches",
      when: "whenever it rains in Lahore",
      more: "The pakora plate grows by 20% at the same price, for as long as it keeps raining."
    }
  ];
  function render() {
    var box = document.getElementById("event-list");
    events.forEach(function (e) {
      var h = document.createElement("h2");
      h.textContent = e.title;
      var p = document.createElement("p");
      p.textContent = e.title + " at " + e.where + " " + e.when + ". " + e.more;
      box.appendChild(h);
      box.appendChild(p);
    });
  }
  setTimeout(render, 300);
})();
</script>""",
)

PAGES["staff/rota.html"] = (
    "Staff rota (internal) | Nukkar Chai Co.",
    "Internal staff rota. Not for customers.",
    """<article>
<h1>Staff rota &mdash; internal</h1>
<p>This page is for the Nukkar team only. Please don't share the link. Shift
swaps must be agreed with your branch manager at least 48 hours before the
shift, and written in the swap book at the counter.</p>
<h2>Gulberg</h2>
<p>Morning (7 am &ndash; 3 pm): Chacha Rafiq, Guddu, Bilal. Evening (3 pm &ndash; 11 pm):
Naveed, Sadia, Imran. Late (6 pm &ndash; 1 am): Faisal, Kiran.</p>
<h2>DHA Phase 5</h2>
<p>Morning: Asif, Rubina. Evening: Usman, Hina, Tariq. Late (weekends until 2 am):
Adeel, Shazia, Javed. Remember to feed Billo at 8 am and 8 pm, and not in between,
whatever she tells you.</p>
<h2>Model Town</h2>
<p>Morning and bakery (6 am start): Shamim Apa, Nasreen. Evening: Zoya, Kamran.
Qawwali Night crew on the last Friday: everyone who is not on leave, sorry.</p>
<p>Staff chai is free on every shift. Staff pakoray are not free on rainy days,
because you all take too many.</p>
</article>""",
)


CSS = """/* Nukkar Chai Co. demo site. Local stylesheet: no fonts or assets from other hosts. */
:root { --chai: #8a4b1f; --cream: #fff8ee; --green: #2f6b3a; --ink: #2b1d12; }
* { box-sizing: border-box; }
body { margin: 0; font-family: Georgia, "Times New Roman", serif; color: var(--ink); background: var(--cream); line-height: 1.6; }
.site-header { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; padding: 0.75rem 1.5rem; background: var(--chai); }
.site-header a { color: #fff; text-decoration: none; }
.brand { display: flex; align-items: center; gap: 0.5rem; font-size: 1.3rem; font-weight: bold; }
.main-nav ul { display: flex; flex-wrap: wrap; gap: 1rem; list-style: none; margin: 0; padding: 0; }
main { max-width: 46rem; margin: 2rem auto; padding: 0 1.25rem; }
h1, h2 { color: var(--chai); line-height: 1.25; }
a { color: var(--green); }
.byline { font-style: italic; color: #6b5a4b; }
.site-footer { margin-top: 3rem; padding: 1.5rem; background: var(--ink); color: #f3e6d3; font-size: 0.9rem; }
.site-footer a { color: #ffd58a; }
.cookie-banner { margin-top: 1rem; padding: 0.5rem 0.75rem; background: #3d2a1a; border-radius: 6px; }
form input, form textarea { width: 100%; padding: 0.4rem; font: inherit; }
"""

LOGO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96" role="img" aria-labelledby="t">
  <title id="t">Nukkar Chai Co.</title>
  <circle cx="48" cy="48" r="46" fill="#fff8ee" stroke="#8a4b1f" stroke-width="4"/>
  <path d="M26 44h38v10a19 19 0 0 1-38 0z" fill="#8a4b1f"/>
  <path d="M64 47h5a7 7 0 0 1 0 14h-6" fill="none" stroke="#8a4b1f" stroke-width="4"/>
  <path d="M36 22c-4 5 4 8 0 14M46 18c-4 5 4 8 0 14M56 22c-4 5 4 8 0 14" fill="none" stroke="#2f6b3a" stroke-width="3" stroke-linecap="round"/>
  <text x="48" y="86" font-family="Georgia, serif" font-size="10" text-anchor="middle" fill="#2b1d12">NUKKAR</text>
</svg>
"""

ROBOTS = """User-agent: *
Disallow: /staff/

Sitemap: {{BASE_URL}}/sitemap.xml
"""

# Blog posts are deliberately left out: a crawler finds them only by following links.
SITEMAP_PATHS = [
    "/",
    "/about.html",
    "/menu.html",
    "/menu/chai.html",
    "/menu/snacks.html",
    "/branches.html",
    "/story-2016.html",
    "/catering.html",
    "/careers.html",
    "/blog/",
    "/faq.html",
    "/contact.html",
    "/events.html",
]

REDIRECTS = {"/old-menu": "/menu.html", "/loop-a": "/loop-b", "/loop-b": "/loop-a"}


# ---------------------------------------------------------------------------
# Boilerplate on a minority of pages, appended to the main text of some pages.
# ---------------------------------------------------------------------------

OFFICES = """<section class="offices">
<h2>Our offices and kitchens</h2>
<p>Head office: upstairs at 14-C Main Market, Gulberg II</p>
<p>Central kitchen: 7 Kot Lakhpat Industrial Estate, Lahore</p>
<p>Tea store and training room: 31 Ferozepur Road, Lahore</p>
</section>"""

RIGHTS = """<p class="rights">&copy; 2024 Nukkar Chai Co. All Rights Reserved.</p>"""

BLOG_POSTS = {
    "perfect-doodh-patti.html": "How to make the perfect doodh patti",
    "baarish-aur-pakoray.html": "Baarish aur pakoray: a Lahore love story",
    "chacha-rafiq-since-1989.html": "Chacha Rafiq: at the pateela since 1989",
}


def more_posts(current: str) -> str:
    """The other two posts' titles, each with a "View Post" link under it (a script-routed
    span, as page builders make them: the extractor keeps it, unlike a plain <a> on its own)."""
    links = "\n".join(
        f'<h3>{title}</h3>\n<p class="read-more"><span role="link" tabindex="0" data-href="{slug}">View Post</span></p>'
        for slug, title in BLOG_POSTS.items()
        if slug != current
    )
    return f'<div class="more-posts">\n{links}\n</div>'


# A page builder's quote form: divs, not a <form>, so the extractor keeps its labels.
QUOTE_FORM = """<div class="quote-form" role="form" aria-label="Request a quote">
<p class="field-label">Name*</p><input type="text" name="name">
<p class="field-label">Phone*</p><input type="text" name="phone">
<p class="field-label">Event date*</p><input type="text" name="date">
<p class="field-label">Guests*</p><input type="text" name="guests">
<p><button type="button">Request a quote</button></p>
</div>"""

EXTRAS: dict[str, list[str]] = {
    "about.html": [OFFICES],
    "branches.html": [OFFICES],
    "careers.html": [OFFICES],
    "contact.html": [OFFICES],
    "catering.html": [QUOTE_FORM, OFFICES],
    **{f"blog/{slug}": [more_posts(slug), RIGHTS] for slug in BLOG_POSTS},
}


def with_extras(rel: str, body: str) -> str:
    extras = EXTRAS.get(rel, [])
    return body.replace("</article>", "\n".join(["", *extras, "</article>"]) if extras else "</article>")


def sitemap() -> str:
    urls = "\n".join(f"  <url><loc>{{{{BASE_URL}}}}{p}</loc><lastmod>2026-10-01</lastmod></url>" for p in SITEMAP_PATHS)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n'


def menu_pdf() -> bytes:
    """A tiny, valid one-page PDF (correct xref offsets), built by hand."""
    lines = [
        "Nukkar Chai Co. - Menu 2024",
        "Doodh patti 250ml Rs. 180 | Kashmiri chai Rs. 280",
        "Aloo samosa Rs. 60 | Pakoray 250g Rs. 320",
        "Nukkar Deal PKR 650 | Family Platter PKR 1,250",
    ]
    text_ops = ["BT", "/F1 14 Tf", "50 780 Td", "18 TL"]
    for line in lines:
        text_ops.append(f"({line}) Tj T*")
    text_ops.append("ET")
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def write(path: Path, data: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def main() -> None:
    for rel, (title, description, body) in PAGES.items():
        html = TEMPLATE.format(title=title, description=description, nav=NAV, body=with_extras(rel, body), footer=FOOTER)
        write(SITE / rel, html)
    write(SITE / "css" / "site.css", CSS)
    write(SITE / "img" / "logo.svg", LOGO_SVG)
    write(SITE / "files" / "menu-2024.pdf", menu_pdf())
    write(SITE / "robots.txt", ROBOTS)
    write(SITE / "sitemap.xml", sitemap())
    write(SITE / "_redirects.json", json.dumps(REDIRECTS, indent=2) + "\n")
    print(f"wrote {len(PAGES)} pages and assets under {SITE}")


if __name__ == "__main__":
    main()
