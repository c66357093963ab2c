"""Hand-written posts of Brisdale Mutual Bank (fictional), the control brand, oldest first.

FACEBOOK entries: (date "YYYY-MM-DD", text).
INSTAGRAM entries: (date, type "Image" | "Video" | "Sidecar", caption).

Written for this project; every post is its own. The voice is formal, English
only, with no emojis and few hashtags: the opposite of the demo brand's. No
planted noise here (no duplicates, collabs, empties or personal data): the
control brand only has to be a clean, different voice.
"""

FACEBOOK = [
    # ---------------------------------------------------------------- 2022
    (
        "2022-01-04",
        "A happy New Year to all our members. Our branches reopen today at their usual hours, and Customer Care is available from 8am to 8pm on weekdays. We look forward to serving you throughout 2022.",
    ),
    (
        "2022-01-12",
        "Please be aware of a text message currently circulating that claims to come from Brisdale Mutual and asks you to confirm your details through a link. We did not send it. Do not click the link; report the message through the Security page of our app and then delete it.",
    ),
    (
        "2022-01-20",
        "We are pleased to introduce the Regular Saver, paying 2.50% AER fixed for twelve months on monthly deposits of £10 to £250. It is designed for members who wish to build a habit of saving, one month at a time. Accounts may be opened in branch or in the app.",
    ),
    (
        "2022-01-31",
        "A reminder to our self-employed members that the deadline for online Self Assessment returns is midnight tonight. Your statements for the tax year can be downloaded from the Documents section of online banking.",
    ),
    (
        "2022-02-09",
        "This week, colleagues are visiting primary schools across the valley to talk about staying safe online. Our message to pupils is a simple one: never share a password, and always tell a trusted adult if something online does not feel right.",
    ),
    (
        "2022-02-17",
        "Owing to the severe weather warning in place, our Wyvern Quay branch will close at 1pm today. All other branches remain open. We apologise for any inconvenience and ask members to travel only if it is safe to do so.",
    ),
    (
        "2022-02-25",
        "New businesses opening a Business Current Account with us pay no monthly fee for the first eighteen months. Our business team, based at head office, is available to meet you at your premises or in any branch.",
    ),
    (
        "2022-03-01",
        "From today, members can freeze and unfreeze their debit card instantly in the Brisdale Mutual app. Should you misplace your card, a single tap prevents it from being used until you find it again.",
    ),
    (
        "2022-03-08",
        "On International Women's Day, we recognise the women who have shaped Brisdale Mutual, among them Margaret Ellery, who in 1931 became the first woman appointed to our Board. Today, half of our Board and more than sixty per cent of our branch staff are women.",
    ),
    (
        "2022-03-22",
        "Notice is hereby given that the Annual General Meeting of Brisdale Mutual Bank will take place on 27 April 2022 at the Corn Exchange, Brisdale. Every member is entitled to vote, whether in person, online or by post. Voting papers will arrive in the coming weeks.",
    ),
    (
        "2022-04-01",
        "The new tax year begins on 6 April, bringing with it a fresh Cash ISA allowance. Members may transfer existing ISAs to us without losing their tax-free status, and our team will arrange the transfer on your behalf.",
    ),
    (
        "2022-04-14",
        "Our branches will be closed on Good Friday and Easter Monday. Online banking and the app will operate as normal, and payments made over the weekend will be processed on Tuesday 19 April. We wish all our members a peaceful Easter.",
    ),
    (
        "2022-04-28",
        "Thank you to the 11,402 members who voted at this year's Annual General Meeting. All resolutions were passed, and the full results are now available on our website.",
    ),
    (
        "2022-05-10",
        "Buying your first home is one of the most significant decisions you will make. Our mortgage advisers offer appointments in branch, by telephone or by video call, at a time that suits you, and there is no fee for advice. Your home may be repossessed if you do not keep up your mortgage repayments.",
    ),
    (
        "2022-05-24",
        "We understand that rising household costs are placing pressure on many families. If you are concerned about meeting a payment, please speak to us early. Our Financial Support team will listen, explain your options and agree a plan with you in confidence.",
    ),
    (
        "2022-06-01",
        "Our branches will be closed on Thursday 2 and Friday 3 June for the additional bank holidays. Customer Care will be available from 9am to 1pm on both days for urgent matters, including lost or stolen cards.",
    ),
    (
        "2022-06-15",
        "Fraudsters sometimes pose as bank staff, claim that your account is at risk and ask you to move your money to a so-called safe account. Brisdale Mutual will never ask you to transfer funds for safekeeping. If you receive such a call, end it and contact us using the number on the back of your card.",
    ),
    (
        "2022-06-29",
        "Applications are now open for the 2022 Brisdale Mutual Community Fund. Local charities and community groups may apply for grants of up to £5,000 for projects that benefit residents of the valley. The closing date is 31 August.",
    ),
    (
        "2022-07-05",
        "Solar panels have now been installed on the roof of our head office in Corn Exchange Square. Together with new insulation, we expect them to reduce the building's electricity consumption by around a third.",
    ),
    (
        "2022-07-12",
        "With high temperatures forecast this week, our branches will offer chilled water to anyone who calls in, whether or not you bank with us. Please look after yourselves and check on elderly neighbours.",
    ),
    (
        "2022-07-26",
        "Travelling abroad this summer? There is no need to inform us before you leave, but please ensure that your contact details are up to date, so that we can reach you promptly if we notice unusual activity on your card.",
    ),
    (
        "2022-08-09",
        "Following the recent increase in Bank Rate, we will raise the interest paid on our variable savings accounts by 0.50% from 1 September. Members need take no action; the new rates will apply automatically.",
    ),
    (
        "2022-08-23",
        "Congratulations to every student receiving examination results this month. For those beginning university in the autumn, our Student Account offers an interest-free arranged overdraft of up to £1,500, subject to approval.",
    ),
    (
        "2022-09-06",
        "We are recruiting for our 2023 apprenticeship programme. Over eighteen months, apprentices work in our branches and contact centre while studying towards a recognised qualification in financial services. Applications close on 14 October.",
    ),
    (
        "2022-09-20",
        "Our Ashcombe branch will be closed from 26 September to 7 October while refurbishment works are carried out, including a step-free entrance and a private meeting room. During this period, colleagues at Holmbury Green will be pleased to assist you.",
    ),
    (
        "2022-10-04",
        "Online banking will be unavailable between 11pm on Saturday 8 October and 5am on Sunday 9 October while we carry out planned maintenance. Card payments and cash withdrawals will not be affected.",
    ),
    (
        "2022-10-18",
        "We are delighted to announce that twenty-three local organisations will share £78,000 from this year's Community Fund, including the Holmbury Green Food Bank, the Wyvern Quay Rowing Club and the Fernleigh Reading Circle.",
    ),
    (
        "2022-10-31",
        "As winter approaches, many members are reviewing their household budgets. The budgeting planner in our app groups your spending into categories, so that you can see at a glance where your money goes each month.",
    ),
    (
        "2022-11-10",
        "At 11am tomorrow, our branches will observe two minutes' silence in remembrance of those who have served. Service will resume shortly afterwards, and we thank members for their understanding.",
    ),
    (
        "2022-11-22",
        "Shopping online over the coming weekend? Please buy only from retailers you recognise, pay by card rather than by bank transfer, and be wary of offers that appear too good to be true. Purchases made by card carry additional protection.",
    ),
    (
        "2022-11-30",
        "Members over sixty may book a Later Life appointment to discuss savings, retirement income and planning for future care. These appointments are unhurried, free of charge, and may take place at home if you prefer.",
    ),
    (
        "2022-12-05",
        "Our festive opening hours are as follows. Branches will close at 3pm on Friday 23 December and remain closed until Wednesday 28 December, when they will reopen at the usual time. Customer Care will be available on Tuesday 27 December from 9am to 5pm.",
    ),
    (
        "2022-12-14",
        "Thank you to everyone who has donated a gift to the Brisdale Mutual Giving Tree. Presents left in our branches before 18 December will be delivered to children supported by local family charities in good time for Christmas.",
    ),
    (
        "2022-12-21",
        "During the festive season, criminals frequently send fake delivery notifications requesting a small redelivery fee. Genuine couriers rarely ask for payment by text message. If in doubt, contact the courier directly using details you have found yourself.",
    ),
    (
        "2022-12-30",
        "As the year draws to a close, we would like to thank our members for their continued trust. Brisdale Mutual remains owned by you, and every decision we take is made with your interests in mind. We wish you a happy and healthy 2023.",
    ),
    # ---------------------------------------------------------------- 2023
    (
        "2023-01-09",
        "Our Fixed Rate Bonds now pay up to 4.05% AER, depending on the term you choose. One-, two- and three-year bonds are available from a minimum deposit of £1,000. Withdrawals are not permitted before the end of the term.",
    ),
    (
        "2023-01-18",
        "Members have asked whether we intend to close any branches. We do not. Each of our branches remains open, and we continue to believe that face-to-face service matters, particularly for those who prefer not to bank online.",
    ),
    (
        "2023-01-30",
        "A new feature in the Brisdale Mutual app allows you to set savings goals and follow your progress towards them. Whether you are saving for a holiday, a deposit or a rainy day, each goal may now be given a name and a target date.",
    ),
    (
        "2023-02-07",
        "A strong password is long, unique and difficult to guess. We recommend three random words, and never reusing a password across different websites. Where possible, please enable two-step verification on your email account, as it is often the key to all of your others.",
    ),
    (
        "2023-02-20",
        "Romance fraud causes considerable financial and emotional harm. If someone you have met online, but never in person, asks you for money, please pause and speak to a friend or to our branch team before sending anything.",
    ),
    (
        "2023-02-28",
        "We have updated the Terms and Conditions for our personal current accounts, with effect from 1 May 2023. The principal changes concern how we notify you of unusual transactions. A summary is available in branch and in the app.",
    ),
    (
        "2023-03-06",
        "The Board of Brisdale Mutual is pleased to announce the appointment of Eleanor Hartigan as Chief Executive, with effect from 1 May 2023. Ms Hartigan joined the Bank as a graduate trainee in 1996 and has led our Savings and Mortgages division since 2018.",
    ),
    (
        "2023-03-16",
        "Our 2023 Annual General Meeting will be held on Wednesday 26 April at 6pm at the Corn Exchange, Brisdale, and streamed online for members unable to attend. Voting opens on 27 March. Every vote, however it is cast, carries equal weight.",
    ),
    (
        "2023-03-21",
        "We are introducing the Brisdale Mutual Visa credit card, with no annual fee and a representative rate of 22.9% APR variable. Applications are subject to status, and you can check your eligibility in the app without affecting your credit score.",
    ),
    (
        "2023-03-29",
        "Please note that all branches will be closed on Friday 7 April and Monday 10 April. Customer Care will operate from 9am to 5pm on both days, and the app remains available throughout the Easter weekend.",
    ),
    (
        "2023-04-11",
        "Members who opened a Cash ISA with us last year may now add to it using their allowance for the 2023/24 tax year. Interest on our Easy Access Cash ISA is currently 3.25% AER variable.",
    ),
    (
        "2023-04-27",
        "Thank you to the members who attended and voted at last night's Annual General Meeting. We were pleased to report a record number of new members in 2022 and a strengthened capital position, which allows us to continue lending locally with confidence.",
    ),
    (
        "2023-05-15",
        "Money worries and mental health are closely linked. This Mental Health Awareness Week, we remind members that our Financial Support team can arrange a private conversation at any branch, and that you are welcome to bring a friend or relative with you.",
    ),
    (
        "2023-05-30",
        "The Brisdale Mutual Greener Homes Mortgage is now available. Members buying or remortgaging a property with an energy performance rating of A or B may benefit from a reduced rate. Your home may be repossessed if you do not keep up your mortgage repayments.",
    ),
    (
        "2023-06-01",
        "The Regular Saver rate has increased to 5.00% AER fixed for twelve months, for accounts opened from today. You may save between £10 and £250 each month, and one Regular Saver may be held per person.",
    ),
    (
        "2023-06-13",
        "We have made it easier to find what you need on our website. The new Help Centre answers the questions we are asked most often, from ordering a replacement card to registering a power of attorney, and can be searched in plain English.",
    ),
    (
        "2023-06-26",
        "We are proud to support the Brisdale Literary Festival for a fifth consecutive year. This year's programme includes talks by local authors, a poetry competition for schools and a free reading trail through the town centre.",
    ),
    (
        "2023-07-10",
        "Investment scams are increasingly advertised on social media, often using images of well-known figures without their permission. Legitimate firms will never pressure you to act immediately. Please check that a firm is authorised before you invest.",
    ),
    (
        "2023-07-24",
        "From 1 August, interest on our Easy Access Saver will increase to 3.60% AER variable. Existing accounts will receive the new rate automatically, and we will write to every affected member to confirm the change.",
    ),
    (
        "2023-08-07",
        "Our Wyvern Quay branch will open on Saturday mornings from 9am to 12 noon, beginning this weekend. This change follows member feedback, and we will review Saturday opening at our other branches later in the year.",
    ),
    (
        "2023-08-21",
        "The Brisdale Mutual Community Fund is open for applications until 30 September. This year, we are particularly keen to hear from groups working to reduce loneliness among older residents.",
    ),
    (
        "2023-08-30",
        "Thank you to the members who asked for more seating at our Brisdale branch. New chairs have been installed in the waiting area, together with a table for those completing forms.",
    ),
    (
        "2023-09-04",
        "As children return to school, this may be a good moment to introduce them to saving. A Junior Saver may be opened by a parent or guardian for any child under sixteen, and it comes with a paying-in book that can be used at any of our branches.",
    ),
    (
        "2023-09-18",
        "Colleagues from our Holmbury Green branch spent Friday afternoon clearing the canal towpath with the Holmbury Volunteers. Every member of staff at Brisdale Mutual is given two paid days each year to volunteer in the community.",
    ),
    (
        "2023-10-02",
        "We are aware that some members experienced difficulty logging in to the app this morning. The issue has now been resolved. We apologise for the inconvenience and thank you for your patience.",
    ),
    (
        "2023-10-16",
        "From 1 November, Customer Care will extend its weekday hours to 8am to 8pm and will also be available on Saturdays from 9am to 1pm. Lost or stolen cards may be reported at any hour, day or night.",
    ),
    (
        "2023-10-30",
        "Twenty-nine community groups will receive grants from this year's Community Fund, totalling £86,500. Among them are the Ashcombe Lunch Club, which serves a hot meal to older residents each Tuesday, and the Fernleigh Men's Shed.",
    ),
    (
        "2023-11-13",
        "Winter is an expensive season for many households. If you are finding it difficult to keep up with your bills, please contact us before a payment is missed. We are usually able to help more when we are told early.",
    ),
    (
        "2023-11-24",
        "Please take care when buying from sellers on social media marketplaces. Wherever possible, view an item in person before paying, and avoid paying by bank transfer to someone you do not know, as such payments can be very difficult to recover.",
    ),
    (
        "2023-12-04",
        "Festive opening hours: branches will close at 3pm on Friday 22 December and reopen on Wednesday 27 December. We will also close at 1pm on Friday 29 December and reopen on Tuesday 2 January. Customer Care will be available on 27, 28 and 29 December.",
    ),
    (
        "2023-12-12",
        "For the second year, our branches are collecting gifts for local children through the Giving Tree appeal. Last year, members donated more than 900 presents. Thank you, in advance, for your generosity.",
    ),
    (
        "2023-12-20",
        "If you will be away over Christmas, please remember to arrange any regular payments, such as rent, before you leave. Payments that fall due on a bank holiday are normally made on the next working day.",
    ),
    (
        "2023-12-29",
        "Thank you for choosing Brisdale Mutual in 2023. This year we welcomed more than 6,000 new members and lent over £140 million to help local families buy their homes. We wish you every happiness in the year ahead.",
    ),
    # ---------------------------------------------------------------- 2024
    (
        "2024-01-03",
        "A happy New Year from everyone at Brisdale Mutual. If saving more is among your resolutions, you may find it helpful to set up a standing order into a savings account on the day you are paid, so that saving happens before spending.",
    ),
    (
        "2024-01-15",
        "We are pleased to confirm that Brisdale Mutual will open a new branch in Fernleigh this spring, on the corner of Church Street and Mill Lane. It will be our first new branch in over twenty years and will offer the full range of our services.",
    ),
    (
        "2024-01-29",
        "Please be cautious of emails claiming that your account has been suspended and that you must log in to restore it. We will never send you a link asking you to log in. If you are concerned, open the app directly or visit a branch.",
    ),
    (
        "2024-02-06",
        "Planning for the future includes deciding who would manage your finances were you unable to do so yourself. A Lasting Power of Attorney can be registered with us at any branch, and our staff will guide you through the process with care.",
    ),
    (
        "2024-02-12",
        "The Brisdale Mutual app now supports sign-in by fingerprint or face recognition on compatible devices. This may be enabled in Settings, under Security. Your existing passcode will continue to work as before.",
    ),
    (
        "2024-02-26",
        "Members who care for a relative may now register a Trusted Helper on their account. This allows a named person to make enquiries and view balances on the member's behalf without sharing any security details.",
    ),
    (
        "2024-03-05",
        "Congratulations to the seven apprentices who have completed their programme this month. Each has accepted a permanent role with the Bank, in our branches, Customer Care and technology teams.",
    ),
    (
        "2024-03-11",
        "The 2024 Annual General Meeting will take place on Thursday 25 April at 6pm. For the first time, members will be able to submit questions to the Board in advance through the app. Your voting pack will arrive by post or email shortly.",
    ),
    (
        "2024-03-25",
        "A reminder that our branches will be closed on Good Friday, 29 March, and on Easter Monday, 1 April. Standing orders and Direct Debits due on those days will be paid on the next working day.",
    ),
    (
        "2024-04-08",
        "Our Fernleigh branch opened its doors this morning. We were honoured that the ribbon was cut by Mrs Joan Whitcombe, who opened her first savings account with us in 1948 and remains a member today. Thank you to everyone who came to welcome us.",
    ),
    (
        "2024-04-26",
        "The results of the 2024 Annual General Meeting are now published. Each resolution was approved, and turnout rose for the third year running, to 14.2 per cent of eligible members. We are grateful to everyone who took part.",
    ),
    (
        "2024-05-09",
        "Fraudsters are now using artificial intelligence to imitate the voices of family members in distress. If you receive an urgent call from a relative asking for money, hang up and call them back on a number you already know to be correct.",
    ),
    (
        "2024-05-22",
        "Members may now apply for a Greener Homes Loan to help fund insulation, heat pumps or solar panels, with a fixed rate for up to seven years. Lending is subject to status and affordability.",
    ),
    (
        "2024-06-05",
        "Our annual member survey found that 94 per cent of respondents would recommend Brisdale Mutual to a friend or relative. We are grateful for every response, including the suggestions for improvement, each of which has been reviewed by our management team.",
    ),
    (
        "2024-06-19",
        "Twelve students from local sixth forms have joined us this week for work experience, spending time in our branches, our lending team and our technology department. We hope they leave with a clearer sense of what a career in financial services involves.",
    ),
    (
        "2024-06-27",
        "When someone dies, dealing with their finances can feel overwhelming. Our Bereavement Service provides a single point of contact who will guide you through each step, and you need only tell us once.",
    ),
    (
        "2024-07-03",
        "Rate update: with effect from 15 July, the rate on our one-year Fixed Rate Bond will be 4.40% AER. Bonds opened before that date are not affected.",
    ),
    (
        "2024-07-17",
        "Our debit card carries no fee for purchases made abroad. When a card terminal or cash machine offers to charge you in pounds, we recommend choosing the local currency instead, as the exchange rate offered is often less favourable.",
    ),
    (
        "2024-07-31",
        "We are pleased to renew our sponsorship of the junior section of Brisdale Town Cricket Club for a further three seasons. More than 150 young players train at the club each week.",
    ),
    (
        "2024-08-14",
        "Good luck to all students receiving results this week. Whatever the outcome, there are many routes to a fulfilling career, and our own apprenticeship programme welcomes applicants with a wide range of qualifications.",
    ),
    (
        "2024-08-28",
        "The 2024 Community Fund is now accepting applications. Grants of up to £7,500 are available to registered charities and voluntary groups in the valley, and the panel will give priority to projects supporting young carers.",
    ),
    (
        "2024-09-10",
        "This term, our Money Matters programme will visit fourteen secondary schools in the valley. The sessions, delivered by our own staff, cover budgeting, payslips, borrowing and how to recognise a scam.",
    ),
    (
        "2024-09-24",
        "From 1 December, cash deposits made at the counter by business members will be free of charge up to £3,000 per month. We hope the change will be welcomed by the many small traders who bank with us.",
    ),
    (
        "2024-10-01",
        "All of our branches are now fitted with hearing loops, and members who use British Sign Language may request a video interpreter at no cost. Please let us know in advance if you would find any other adjustment helpful.",
    ),
    (
        "2024-10-08",
        "Planned maintenance will take place overnight on Sunday 13 October, from midnight until 4am. During this time, online banking and the app will be unavailable, although your card will continue to work in shops and at cash machines.",
    ),
    (
        "2024-10-22",
        "Thirty-one organisations have been awarded grants from the 2024 Community Fund, sharing a total of £112,000. We look forward to visiting each of them over the coming year to see their projects at first hand.",
    ),
    (
        "2024-11-05",
        "This evening's fireworks display on Brisdale Common is supported by the Bank, and the collection will go to the Wyvern Valley Hospice. Please enjoy the evening safely and keep pets indoors.",
    ),
    (
        "2024-11-19",
        "We have reduced our Standard Variable Rate for mortgages by 0.25%, with effect from 1 December. Members on this rate will receive a letter setting out their new monthly payment.",
    ),
    (
        "2024-11-29",
        "Before buying from an unfamiliar website this weekend, please check the web address carefully, look for genuine reviews elsewhere, and pay by credit card where possible. Counterfeit shops often copy the appearance of well-known brands very closely.",
    ),
    (
        "2024-12-03",
        "Festive opening hours for 2024: branches will close at 3pm on Tuesday 24 December and reopen on Friday 27 December. On New Year's Eve, branches will close at 3pm and reopen on Thursday 2 January. Customer Care is closed on Christmas Day only.",
    ),
    (
        "2024-12-11",
        "The Giving Tree appeal is now in its third year. Members may choose a tag in any branch and return a gift by 16 December, which local family charities will then deliver in time for Christmas.",
    ),
    (
        "2024-12-18",
        "If you are sending money to family or friends over the festive period, please check the account details before you confirm the payment. Our app will tell you whether the name you have entered matches the name on the receiving account.",
    ),
    (
        "2024-12-30",
        "As 2024 ends, we thank our members, colleagues and community partners. It has been a year of growth, including a new branch in Fernleigh, and we look forward to continuing to serve the valley in 2025.",
    ),
    # ---------------------------------------------------------------- 2025
    (
        "2025-01-06",
        "Our savings rates for the new year are now published in branch and in the app. The Easy Access Saver pays 3.75% AER variable, and the two-year Fixed Rate Bond pays 4.15% AER. Rates may change, so please check them before you apply.",
    ),
    (
        "2025-01-20",
        "The middle of January can feel long, particularly after the expense of December. If you would like to talk through your finances, our Money Guidance appointments are free, confidential and available at every branch.",
    ),
    (
        "2025-02-03",
        "The app now shows you when a subscription is about to renew, giving you the opportunity to cancel any you no longer use. You will find the new Upcoming Payments screen on the home page.",
    ),
    (
        "2025-02-17",
        "Tickets for summer concerts and sporting events are a frequent target for fraud. Please buy from the official seller or an authorised resale site, and remember that a screenshot of a ticket is no proof that the ticket exists.",
    ),
    (
        "2025-02-24",
        "Business members may now earn 3.40% AER variable on our Business Deposit Account, with instant access to their funds. Interest is paid monthly, and the account can be opened by existing business members in the app.",
    ),
    (
        "2025-03-03",
        "We are pleased to report that, in an independent survey of customers, Brisdale Mutual has again been rated among the most trusted savings providers in the region. We thank our colleagues, whose care for members made this possible.",
    ),
    (
        "2025-03-17",
        "Members are invited to the 2025 Annual General Meeting on Wednesday 23 April at 6pm, at the Corn Exchange and online. This year, members will vote on the election of two new non-executive directors, whose biographies are included in the voting pack.",
    ),
    (
        "2025-03-31",
        "Many members have asked how they can tell whether a call really comes from us. The app now includes a Verify Caller feature: when one of our colleagues telephones you, a notification will appear in the app confirming that the call is genuine.",
    ),
    (
        "2025-04-02",
        "The 2025/26 ISA allowance becomes available on 6 April. If you hold ISAs with other providers, you may bring them together with us; please do not withdraw the money yourself, as it would lose its tax-free status.",
    ),
    (
        "2025-04-16",
        "Our branches and Customer Care will be closed on Good Friday, 18 April, and Easter Monday, 21 April, with the exception of our lost and stolen card service, which remains available at all times.",
    ),
    (
        "2025-04-30",
        "Members have elected Ms Ruth Adebayo and Mr Colin Marsh to the Board as non-executive directors. We welcome them both and thank the many members who voted, in what was the highest turnout in our history.",
    ),
    (
        "2025-05-14",
        "Our Chief Executive, Eleanor Hartigan, will hold open sessions with members at each of our branches during June. These are informal conversations, and no appointment is necessary. Dates and times are displayed in branch.",
    ),
    (
        "2025-05-28",
        "Following a successful trial, all five of our branches will open on Saturday mornings from 9am to 12 noon. Saturday opening begins on 7 June.",
    ),
    (
        "2025-06-03",
        "Colleagues have chosen the Wyvern Valley Hospice as the Bank's Charity of the Year for 2025/26. Over the next twelve months, they will raise funds through events, sponsored walks and a matched-giving scheme.",
    ),
    (
        "2025-06-11",
        "The Junior Saver now pays 4.00% AER variable on balances of any size. It may be opened from birth, and grandparents and other relatives are welcome to pay in at any branch.",
    ),
    (
        "2025-06-25",
        "Our first Sustainability Report is now available. It sets out how we are reducing emissions from our branches, how we help members make their homes more energy efficient, and where we still have further to go.",
    ),
    (
        "2025-07-01",
        "We intend to keep cash counters open at every branch. In our recent survey, many members told us that cash remains essential to them, and we regard access to cash as part of our duty to the community.",
    ),
    (
        "2025-07-09",
        "Before booking a holiday online, please check that the travel company is a member of a recognised trade association, and pay by card where possible. Be particularly wary of rental properties advertised only on social media.",
    ),
    (
        "2025-07-23",
        "Members may now request that their statements and letters be sent in large print, braille or audio format. Your preference can be changed at any branch or by contacting Customer Care.",
    ),
    (
        "2025-08-06",
        "The 2025 Community Fund opens today. Grants of up to £7,500 are available, and for the first time groups may apply for funding over two years. Application forms are available in every branch and on our website.",
    ),
    (
        "2025-08-20",
        "We are saddened by the death of Harold Pennington, who served on our Board from 1989 to 2011 and as its Chair for six of those years. His commitment to mutual values shaped the Bank that members know today. Our thoughts are with his family.",
    ),
    (
        "2025-09-03",
        "Applications are now open for our 2026 Graduate Programme. Over two years, graduates work in lending, risk, technology and member services, with a permanent role offered at the end of the programme.",
    ),
    (
        "2025-09-17",
        "Entries are now open for the Brisdale Mutual Schools Chess Championship, which returns for its seventh year on 18 October at Ashcombe Community Hall. Teams of four from any primary or secondary school in the valley are welcome.",
    ),
    (
        "2025-09-29",
        "Our Holmbury Green branch will close at 1pm on Wednesday 1 October for staff training, reopening at the usual time the following morning. We apologise for any inconvenience.",
    ),
    (
        "2025-10-01",
        "Please be aware that we will never ask you to share a one-time passcode with anyone, including a member of our staff. If someone asks you for a code that we have sent you, it is a scam.",
    ),
    (
        "2025-10-15",
        "This year's Community Fund will support thirty-four local projects, among them a weekly warm space in Wyvern Quay, a repair café in Ashcombe and a reading club for young carers. Congratulations to every successful applicant.",
    ),
    (
        "2025-10-29",
        "The clocks have gone back, and the evenings are drawing in. If you would prefer not to visit a branch after dark, our mobile banking van calls at eleven villages across the valley each week. The timetable is available in every branch.",
    ),
    (
        "2025-11-12",
        "Following the reduction in Bank Rate, interest on our variable savings accounts will reduce by 0.25% from 1 January 2026. We will write to every affected member at least thirty days before the change takes effect.",
    ),
    (
        "2025-11-26",
        "Shopping online this week? A padlock symbol alone does not mean a website is genuine. Check the spelling of the address, search for independent reviews and, if a discount seems unusually generous, consider whether it is real.",
    ),
    (
        "2025-12-02",
        "Festive opening hours for 2025: branches will close at 1pm on Wednesday 24 December and reopen on Saturday 27 December for the morning only. Normal hours resume on Monday 29 December. On New Year's Day, all branches will be closed.",
    ),
    (
        "2025-12-10",
        "The Giving Tree has returned to every branch for its fourth year. This Christmas, gifts will be shared between four local charities supporting families, and tags will be available until 15 December.",
    ),
    (
        "2025-12-17",
        "Customer Care will be available throughout the festive period except on Christmas Day. If you need to report a lost card or suspected fraud on Christmas Day, you may do so at any time through the app.",
    ),
    (
        "2025-12-30",
        "On behalf of the Board and all our colleagues, thank you for your loyalty during 2025. Together, our members now number more than 120,000, and we remain as committed as ever to the valley we serve.",
    ),
    # ---------------------------------------------------------------- 2026
    (
        "2026-01-05",
        "Welcome to 2026. Branches and Customer Care have returned to their usual hours. If you have set yourself a financial goal for the year, our savings goals feature in the app can help you keep track of it.",
    ),
    (
        "2026-01-19",
        "From 1 February, our three-year Fixed Rate Bond will pay 3.95% AER. Members whose bonds mature in the coming weeks will receive a letter setting out their options, including the choice to reinvest or withdraw.",
    ),
    (
        "2026-01-28",
        "The Regular Saver now permits one withdrawal during the year without loss of interest. We made this change after members told us that an unexpected expense should not undo a year of careful saving.",
    ),
    (
        "2026-02-02",
        "You can now pay in a cheque by photographing it in the app. Cheques paid in before 10pm on a working day will normally clear by the end of the following working day.",
    ),
    (
        "2026-02-16",
        "If you are approached with an offer to release money from your pension early, please be aware that it is very likely to be a scam. Unauthorised early access can lead to heavy tax charges and the loss of your savings. Seek guidance before making any decision.",
    ),
    (
        "2026-03-02",
        "Our First Home Mortgage is now available with a 5 per cent deposit on properties up to £350,000. In a single appointment, our advisers can tell you how much you may be able to borrow. Your home may be repossessed if you do not keep up your mortgage repayments.",
    ),
    (
        "2026-03-16",
        "Notice of the 2026 Annual General Meeting: members are invited to attend on Thursday 23 April at 6pm at the Corn Exchange, Brisdale, or online. Resolutions include the approval of the annual accounts and the re-election of the directors.",
    ),
    (
        "2026-03-30",
        "Please note that branches will be closed on Good Friday, 3 April, and on Easter Monday, 6 April. Customer Care will be open from 9am to 1pm on both days.",
    ),
    (
        "2026-04-13",
        "Our Holmbury Green branch celebrates fifty years this month. It first opened in April 1976 in a former haberdashery on the High Street, and three of its original customers still bank there today.",
    ),
    (
        "2026-04-30",
        "We are pleased to report that all resolutions at the 2026 Annual General Meeting were carried. A recording of the meeting, together with the Board's answers to members' questions, is available on our website.",
    ),
    (
        "2026-05-12",
        "Members can now open a Fixed Rate Bond entirely within the app, in around five minutes. Funds are moved from your current account, and the bond begins to earn interest on the same day.",
    ),
    (
        "2026-05-27",
        "We are aware of advertisements on social media that use our name and logo to promote guaranteed investment returns. They have no connection with Brisdale Mutual. We have reported them and ask members not to respond.",
    ),
    (
        "2026-06-03",
        "Financial abuse can take many forms, including controlling a partner's access to money or running up debts in their name. Colleagues in every branch have been trained to help, and conversations are always held in private.",
    ),
    (
        "2026-06-10",
        "This year, the Community Fund introduces Small Grants of up to £1,000, with a simplified application and a decision within four weeks. They are intended for new groups and for projects that need modest support quickly.",
    ),
    (
        "2026-06-24",
        "This summer, we are supporting the library service's reading challenge for children aged four to eleven. Every child who completes the challenge will receive a certificate and a £5 deposit into a new or existing Junior Saver.",
    ),
    (
        "2026-07-08",
        "Our Sustainability Report for 2025/26 is published today. Emissions from our branches fell by 18 per cent over the year, largely through the installation of heat pumps at Ashcombe and Fernleigh.",
    ),
    (
        "2026-07-22",
        "Our Customer Care team answered more than 180,000 calls in the past year, with an average waiting time of under two minutes. We thank our colleagues for their courtesy and their patience.",
    ),
    (
        "2026-08-05",
        "Applications for the 2026 Community Fund are open until 30 September. Main grants of up to £7,500 and Small Grants of up to £1,000 are available to groups working anywhere in the valley.",
    ),
    (
        "2026-08-19",
        "Starting university this autumn? Our Student Account includes an interest-free arranged overdraft of up to £2,000 over the course of your studies, subject to approval, and may be opened in the app before you leave home.",
    ),
    (
        "2026-09-02",
        "We are now accepting applications for our 2027 apprenticeship programme in branch banking, customer care and technology. Apprentices are paid from their first day and study towards a recognised qualification.",
    ),
    (
        "2026-09-16",
        "The Brisdale Mutual Schools Chess Championship will be held on Saturday 17 October at Ashcombe Community Hall, now in its eighth year. Last year, forty-two teams took part, and entries this year have already exceeded that number.",
    ),
    (
        "2026-09-30",
        "From 1 November, members will be able to hold up to five savings pots within a single Easy Access Saver, each with its own name and goal. Existing accounts will be upgraded automatically.",
    ),
    (
        "2026-10-05",
        "This is Scam Awareness Week. The most effective protection remains a moment's pause: no genuine organisation will object if you end a call, consult someone you trust and contact them again through an official channel.",
    ),
    (
        "2026-10-14",
        "Grants totalling £128,000 have been awarded from the 2026 Community Fund, including nineteen Small Grants to groups that have never before received funding from us. Congratulations to all who applied successfully.",
    ),
    (
        "2026-10-28",
        "The cash machine outside our Fernleigh branch is currently out of service following damage overnight. Withdrawals may be made at the counter during opening hours, and we expect the machine to be repaired by Friday.",
    ),
    (
        "2026-11-09",
        "On Wednesday, our branches will pause at 11am for the two minutes' silence. We thank members for their understanding, and we remember with gratitude all those who have served.",
    ),
    (
        "2026-11-20",
        "We have updated the Brisdale Mutual app to work better with screen readers. Every button now has a clear spoken label, and text resizes according to the settings on your device.",
    ),
    (
        "2026-11-25",
        "Festive opening hours for 2026: branches will close at 1pm on Thursday 24 December and reopen on Tuesday 29 December. On New Year's Eve, they will close at 3pm, reopening on Saturday 2 January for the morning.",
    ),
]

INSTAGRAM = [
    # ---------------------------------------------------------------- 2022
    (
        "2022-01-07",
        "Image",
        "From the Archive: our first ledger, opened on 3 March 1908, records deposits from twenty-six founding members, the largest of which was four pounds and ten shillings. The ledger is on display at our head office in Corn Exchange Square. #FromTheArchive #BrisdaleMutual",
    ),
    (
        "2022-01-24",
        "Image",
        "Money Tip of the Week: read your bank statement line by line at least once a month. It is the simplest way to spot payments you do not recognise and subscriptions you no longer need. #MoneyTip",
    ),
    (
        "2022-02-14",
        "Image",
        "Scam Watch: we will never ask for your full PIN or your online banking password, whether by telephone, email or text message. Anyone who does so is not from Brisdale Mutual. #ScamWatch",
    ),
    (
        "2022-02-28",
        "Sidecar",
        "Meet the Team: Priya Raman has been a mortgage adviser at our Ashcombe branch for nine years. Her advice to first-time buyers is to begin with an honest budget rather than with property listings. #MeetTheTeam",
    ),
    (
        "2022-03-08",
        "Image",
        "Margaret Ellery, photographed in 1931, the year she became the first woman to join the Board of Brisdale Mutual. She served for twenty-two years. #InternationalWomensDay #FromTheArchive",
    ),
    (
        "2022-03-14",
        "Image",
        "The Regular Saver pays 2.50% AER fixed for twelve months on monthly deposits of £10 to £250. Terms and conditions apply. #BrisdaleMutual",
    ),
    ("2022-03-30", "Video", "How to freeze your card in the Brisdale Mutual app, explained in under thirty seconds."),
    ("2022-04-15", "Image", "Wishing all our members a peaceful Easter. Our branches will reopen on Tuesday 19 April."),
    ("2022-05-02", "Image", "Eid Mubarak to all members celebrating today. We wish you and your families peace, health and happiness."),
    (
        "2022-05-16",
        "Image",
        "Money Tip of the Week: an emergency fund of three months' essential spending can turn an unexpected bill from a crisis into an inconvenience. Begin with a smaller target and build from there. #MoneyTip",
    ),
    (
        "2022-05-30",
        "Image",
        "Meet the Team: Harriet Cole joined us as an apprentice in 2019 and now manages the counter at our Wyvern Quay branch. #MeetTheTeam #Apprenticeships",
    ),
    (
        "2022-06-06",
        "Sidecar",
        "From the Archive: the Holmbury Green branch in 1976, complete with its original brass counter grille. The grille now hangs in the staff room. #FromTheArchive",
    ),
    (
        "2022-06-20",
        "Image",
        "Scam Watch: a genuine text message from us will never contain a link asking you to log in. If you are unsure, open the app yourself rather than following the link. #ScamWatch",
    ),
    (
        "2022-07-04",
        "Image",
        "Meet the Team: Daniel Okoro leads our Customer Care team in Brisdale. His colleagues answer around six hundred calls a day, and he makes a point of answering some of them himself. #MeetTheTeam",
    ),
    (
        "2022-07-18",
        "Video",
        "Our staff volunteering day at the Holmbury Green Food Bank. Thank you to the volunteers who welcomed us and showed us how the work is done.",
    ),
    (
        "2022-08-01",
        "Image",
        "Money Tip of the Week: when comparing savings accounts, look at the AER. It shows what you would earn over a year with interest compounded, allowing a fair comparison between accounts that pay interest at different intervals. #MoneyTip",
    ),
    (
        "2022-08-15",
        "Image",
        "Two weeks remain to apply for a Community Fund grant of up to £5,000. Applications close on 31 August. #CommunityFund",
    ),
    (
        "2022-08-29",
        "Image",
        "Our branches are closed today for the August bank holiday. The app and online banking remain available as usual.",
    ),
    (
        "2022-09-12",
        "Image",
        "Money Tip of the Week: paying only the minimum on a credit card each month means the balance takes far longer to clear and costs considerably more. Pay a fixed amount above the minimum wherever you can. #MoneyTip",
    ),
    (
        "2022-09-26",
        "Sidecar",
        "Refurbishment works have begun at our Ashcombe branch. When it reopens on 10 October, it will have a step-free entrance, a private meeting room and improved lighting throughout.",
    ),
    ("2022-10-10", "Image", "Welcome back, Ashcombe. The refurbished branch is now open, and we look forward to seeing you."),
    (
        "2022-10-24",
        "Image",
        "Diwali greetings to all our members celebrating the festival of lights. May the coming year bring you prosperity and joy.",
    ),
    (
        "2022-11-07",
        "Image",
        "Money Tip of the Week: before the festive season begins, set a spending limit for gifts and write it down. A written budget is considerably harder to ignore. #MoneyTip",
    ),
    (
        "2022-11-21",
        "Image",
        "Scam Watch: a courier will not normally ask you to pay a redelivery fee by text message. If you receive such a message, delete it. #ScamWatch",
    ),
    (
        "2022-12-09",
        "Sidecar",
        "The Giving Tree has arrived in all our branches. Choose a tag, buy a gift for the child it describes, and leave it with our staff before 18 December. #GivingTree",
    ),
    (
        "2022-12-23",
        "Image",
        "Season's greetings from everyone at Brisdale Mutual. Thank you for your custom and your loyalty throughout the year.",
    ),
    ("2022-12-31", "Image", "We wish you a happy and prosperous New Year. Our branches will reopen on Tuesday 3 January."),
    # ---------------------------------------------------------------- 2023
    (
        "2023-01-13",
        "Image",
        "Money Tip of the Week: the start of the year is a sensible time to review your Direct Debits. Cancel any you no longer need, and check that the remainder are for the amounts you expect. #MoneyTip",
    ),
    (
        "2023-01-27",
        "Image",
        "Scam Watch: criminals have been placing false QR codes on car park payment machines. Where possible, pay using the operator's official app or at the machine itself. #ScamWatch",
    ),
    (
        "2023-02-10",
        "Sidecar",
        "From the Archive: a savings poster from 1954 encouraging residents of the valley to put something by each Friday. The advice has aged rather well. #FromTheArchive",
    ),
    (
        "2023-02-24",
        "Image",
        "Money Tip of the Week: you are entitled to see your credit report free of charge. Checking it once a year helps you correct any errors before you apply for a mortgage or a loan. #MoneyTip",
    ),
    (
        "2023-03-03",
        "Image",
        "Meet the Team: Tomasz Nowak is our Head of Digital Banking. He and his team test every new feature of the app with members before it is released. #MeetTheTeam",
    ),
    (
        "2023-03-20",
        "Image",
        "Voting for our Annual General Meeting is now open. As a member, you have an equal say in how the Bank is run, whatever the size of your balance. #MemberOwned",
    ),
    (
        "2023-03-27",
        "Image",
        "The Brisdale Mutual Visa card has no annual fee. Representative 22.9% APR variable. Credit is subject to status. #BrisdaleMutual",
    ),
    ("2023-04-07", "Image", "Our branches are closed today and on Easter Monday. We wish you a restful Easter weekend."),
    ("2023-04-21", "Image", "Eid Mubarak. Our warmest wishes to all members and colleagues marking the end of Ramadan."),
    (
        "2023-05-08",
        "Image",
        "All branches are closed today for the additional bank holiday. Customer Care will be available from 9am to 1pm.",
    ),
    (
        "2023-05-22",
        "Image",
        "Money Tip of the Week: round-ups move the spare change from each card payment into your savings. Small amounts add up to a surprising sum over a year, and the feature can be switched on in the app. #MoneyTip",
    ),
    (
        "2023-05-31",
        "Image",
        "Introducing the Greener Homes Mortgage, with a reduced rate for energy-efficient homes rated A or B. Your home may be repossessed if you do not keep up your mortgage repayments. #GreenerHomes",
    ),
    (
        "2023-06-05",
        "Image",
        "The Regular Saver now pays 5.00% AER fixed for twelve months. Save from £10 to £250 each month. #BrisdaleMutual",
    ),
    (
        "2023-06-19",
        "Video",
        "Highlights from the opening evening of the Brisdale Literary Festival, which we have been proud to support since 2019.",
    ),
    (
        "2023-06-23",
        "Image",
        "Meet the Team: Rajesh Patel is a business relationship manager who looks after more than two hundred local firms, from bakeries to boatyards. #MeetTheTeam #SmallBusiness",
    ),
    (
        "2023-07-03",
        "Image",
        "Scam Watch: no legitimate investment can guarantee high returns without risk. Be especially cautious of opportunities promoted through social media or messaging groups. #ScamWatch",
    ),
    (
        "2023-07-17",
        "Image",
        "Meet the Team: Grace Adeyemi is one of our Financial Support specialists. If you are worried about a payment, she would much rather hear from you early than late. #MeetTheTeam",
    ),
    ("2023-08-11", "Image", "Our Wyvern Quay branch is now open on Saturday mornings, from 9am to 12 noon."),
    (
        "2023-08-25",
        "Image",
        "Money Tip of the Week: for students, the most useful budget is a weekly one. Divide your term's income by the number of weeks, and transfer that amount to your spending account each Monday. #MoneyTip",
    ),
    (
        "2023-09-08",
        "Image",
        "A Junior Saver may be opened for any child under sixteen, and every child receives a paying-in book of their own. #JuniorSaver",
    ),
    (
        "2023-09-22",
        "Sidecar",
        "Colleagues from Holmbury Green spent an afternoon clearing the canal towpath with the Holmbury Volunteers. We were impressed by how much ground was covered. #Volunteering",
    ),
    (
        "2023-10-06",
        "Image",
        "From the Archive: the first cash machine in Brisdale, installed outside our head office in 1979. Members queued to try it on its opening morning. #FromTheArchive",
    ),
    (
        "2023-10-20",
        "Sidecar",
        "Presenting this year's Community Fund grants to twenty-nine local groups. Congratulations to all of them. #CommunityFund",
    ),
    ("2023-11-12", "Image", "Wishing a happy Diwali to all members, colleagues and friends who are celebrating today."),
    (
        "2023-11-27",
        "Image",
        "Scam Watch: when buying from an online marketplace, never pay a stranger by bank transfer for an item you have not seen. #ScamWatch #FraudAwareness",
    ),
    (
        "2023-12-08",
        "Sidecar",
        "The Giving Tree is back in every branch. Last year, members donated more than 900 gifts for local children. #GivingTree",
    ),
    ("2023-12-22", "Image", "With best wishes for Christmas and the New Year, from all of us at Brisdale Mutual."),
    ("2023-12-31", "Image", "As 2023 draws to a close, we thank our members for their trust. Happy New Year."),
    # ---------------------------------------------------------------- 2024
    (
        "2024-01-08",
        "Image",
        "Money Tip of the Week: a standing order into your savings on payday means you save first and spend what remains, rather than the other way round. #MoneyTip",
    ),
    ("2024-01-22", "Image", "Scam Watch: we will never send you an email containing a link to log in to your account. #ScamWatch"),
    (
        "2024-02-05",
        "Image",
        "Meet the Team: Aisha Siddiqui manages our Brisdale branch. She joined the Bank in 2008 and has worked in four of our five branches. #MeetTheTeam",
    ),
    (
        "2024-02-14",
        "Video",
        "Fingerprint and face recognition sign-in has arrived in the Brisdale Mutual app. This short guide shows how to switch it on. #BrisdaleMutualApp",
    ),
    (
        "2024-03-04",
        "Sidecar",
        "From the Archive: our head office in Corn Exchange Square, photographed in 1912, 1965 and today. The clock above the door has kept time throughout. #FromTheArchive",
    ),
    (
        "2024-03-18",
        "Image",
        "Money Tip of the Week: before the tax year ends on 5 April, consider whether you have used your ISA allowance. Any unused allowance cannot be carried forward. #MoneyTip",
    ),
    ("2024-03-29", "Image", "Our branches are closed for the Easter weekend and will reopen on Tuesday 2 April. Happy Easter."),
    (
        "2024-04-08",
        "Sidecar",
        "Opening day at our new Fernleigh branch. Thank you to Mrs Joan Whitcombe, a member since 1948, for cutting the ribbon. #Fernleigh",
    ),
    (
        "2024-04-10",
        "Image",
        "Eid Mubarak to our members and colleagues. May this Eid bring peace and happiness to you and your loved ones.",
    ),
    (
        "2024-04-22",
        "Image",
        "Scam Watch: if a caller claiming to be from the police or your bank asks you to withdraw cash or buy gift cards, it is a scam. End the call. #ScamWatch",
    ),
    (
        "2024-05-13",
        "Image",
        "Money Tip of the Week: if you receive a pay rise, consider saving part of the increase before you become accustomed to spending it. #MoneyTip",
    ),
    ("2024-05-27", "Image", "Branches are closed today for the spring bank holiday and will reopen tomorrow morning."),
    (
        "2024-06-10",
        "Image",
        "Meet the Team: Jonathan Price has been a counter clerk at Ashcombe for thirty-one years. He can, he tells us, recognise most members by their handwriting. #MeetTheTeam",
    ),
    (
        "2024-06-24",
        "Image",
        "Scam Watch: fraudsters can now clone voices using short clips from social media. Agree a family password that only you and your relatives know. #ScamWatch",
    ),
    (
        "2024-06-28",
        "Image",
        "Our Bereavement Service offers a single point of contact for families at a difficult time. You need only tell us once.",
    ),
    ("2024-07-08", "Image", "Our one-year Fixed Rate Bond now pays 4.40% AER, from a minimum deposit of £1,000. #FixedRateBond"),
    (
        "2024-07-22",
        "Image",
        "Money Tip of the Week: when paying by card abroad, choose to be charged in the local currency. Conversion offered at the till is usually more expensive. #MoneyTip #TravelMoney",
    ),
    (
        "2024-08-05",
        "Sidecar",
        "The junior section of Brisdale Town Cricket Club in their new kit. We are proud to support the club for a further three seasons. #CommunityMatters",
    ),
    ("2024-08-26", "Image", "Our branches are closed today for the bank holiday. The app is available as usual should you need it."),
    (
        "2024-09-09",
        "Image",
        "Meet the Team: Samuel Whitfield leads our Money Matters programme in schools. This term, he and his colleagues will speak to more than 2,000 pupils. #MeetTheTeam #MoneyMatters",
    ),
    (
        "2024-09-23",
        "Image",
        "From the Archive: a Brisdale Mutual passbook from 1962, with entries written in fountain pen. Many members still keep theirs. #FromTheArchive",
    ),
    (
        "2024-10-07",
        "Image",
        "Hearing loops are now installed in every branch, and a British Sign Language video interpreter is available on request. #Accessibility",
    ),
    (
        "2024-10-21",
        "Sidecar",
        "A record thirty-one organisations will receive grants from the 2024 Community Fund. We look forward to visiting each of them. #CommunityFund",
    ),
    ("2024-10-31", "Image", "Wishing all who celebrate a joyful Diwali, filled with light, warmth and the company of family and friends."),
    ("2024-11-11", "Image", "At 11am today, our branches fell silent for two minutes in remembrance of all who have served."),
    (
        "2024-11-18",
        "Image",
        "Meet the Team: Rebecca Lund leads our Bereavement Service. Her team of six handled more than four hundred cases last year, each with patience and discretion. #MeetTheTeam",
    ),
    (
        "2024-11-25",
        "Image",
        "Scam Watch: counterfeit online shops often appear during November. Check the web address carefully before you enter any card details. #ScamWatch",
    ),
    (
        "2024-12-06",
        "Sidecar",
        "Gifts are already gathering beneath the Giving Tree in Fernleigh, the newest branch to join the appeal. #GivingTree",
    ),
    ("2024-12-20", "Video", "A Christmas message from our Chief Executive, Eleanor Hartigan."),
    ("2024-12-31", "Image", "Thank you for your company in 2024. We wish you good health and happiness in the year ahead."),
    # ---------------------------------------------------------------- 2025
    (
        "2025-01-10",
        "Image",
        "Money Tip of the Week: list your fixed monthly costs in one place. Knowing exactly what must be paid each month makes every other decision clearer. #MoneyTip",
    ),
    (
        "2025-01-24",
        "Image",
        "Scam Watch: a genuine employer will never ask you to pay a fee in order to start a job. Be wary of unsolicited job offers received through messaging apps. #ScamWatch",
    ),
    (
        "2025-02-07",
        "Image",
        "The Upcoming Payments screen in the app now shows when each of your subscriptions is due to renew. #BrisdaleMutualApp",
    ),
    (
        "2025-02-21",
        "Image",
        "Meet the Team: Fiona Gallagher is a mortgage adviser at Wyvern Quay. Before joining us in 2015, she spent ten years as a surveyor, which, she says, makes her very good at spotting damp. #MeetTheTeam",
    ),
    (
        "2025-03-07",
        "Sidecar",
        "From the Archive: staff of the Brisdale branch in 1938. The photograph was donated by the granddaughter of our then chief clerk, Mr Albert Rowntree. #FromTheArchive",
    ),
    (
        "2025-03-21",
        "Image",
        "Money Tip of the Week: if you have savings in several places, write down every account, its rate and when any fixed term ends. You may find money earning less than it could. #MoneyTip",
    ),
    ("2025-03-30", "Image", "Eid Mubarak. With warm wishes to all members celebrating Eid al-Fitr with their families and friends."),
    (
        "2025-04-04",
        "Video",
        "Introducing Verify Caller: when one of our colleagues calls you, the app confirms that the call is genuine. #BrisdaleMutualApp #ScamWatch",
    ),
    ("2025-04-18", "Image", "Branches are closed today and on Monday. We wish all our members a happy Easter."),
    ("2025-05-02", "Sidecar", "Welcoming our two newly elected non-executive directors, Ms Ruth Adebayo and Mr Colin Marsh. #MemberOwned"),
    (
        "2025-05-16",
        "Image",
        "Scam Watch: a message from an unknown number that begins with an apology for contacting the wrong person is a common opening for fraud. Do not reply. #ScamWatch",
    ),
    ("2025-06-06", "Image", "From tomorrow, every branch is open on Saturday mornings from 9am to 12 noon."),
    (
        "2025-06-16",
        "Image",
        "Meet the Team: Oliver Hughes is one of our apprentices in technology. In his first year, he helped to build the Upcoming Payments screen in our app. #MeetTheTeam #Apprenticeships",
    ),
    ("2025-06-30", "Image", "Our first Sustainability Report is available in every branch and on our website. #Sustainability"),
    (
        "2025-07-14",
        "Image",
        "Money Tip of the Week: if you are planning a summer holiday, a separate savings pot for spending money makes it easier to see what you can afford while you are away. #MoneyTip",
    ),
    (
        "2025-07-28",
        "Image",
        "Statements and letters are now available in large print, braille and audio. Please ask in branch to change your preference. #Accessibility",
    ),
    (
        "2025-08-11",
        "Sidecar",
        "Colleagues set off on the first of this year's sponsored walks for the Wyvern Valley Hospice, our Charity of the Year. #CharityOfTheYear",
    ),
    ("2025-08-25", "Image", "All branches are closed today for the bank holiday and will reopen tomorrow at the usual time."),
    (
        "2025-09-08",
        "Image",
        "From the Archive: the 1908 rule book of the Brisdale Provident Savings Society, as we were first known. Rule one: that the Society shall be for the benefit of its members. #FromTheArchive",
    ),
    (
        "2025-09-22",
        "Image",
        "Scam Watch: if a message claims that a family member has a new telephone number and needs money urgently, call them on their old number before doing anything else. #ScamWatch",
    ),
    (
        "2025-10-06",
        "Video",
        "Our mobile banking van on its weekly visit to Lower Thornbury. It calls at eleven villages across the valley. #MobileBanking",
    ),
    ("2025-10-20", "Image", "Happy Diwali to every member and colleague who is celebrating. We wish you a festival full of light."),
    (
        "2025-10-27",
        "Sidecar",
        "Scenes from the seventh Brisdale Mutual Schools Chess Championship, won this year by the team from St Anne's Primary, Fernleigh. #SchoolsChess",
    ),
    (
        "2025-11-07",
        "Sidecar",
        "From the Archive: the memorial plaque in our head office, bearing the names of eleven members of staff who served between 1914 and 1918. #FromTheArchive #Remembrance",
    ),
    (
        "2025-11-10",
        "Image",
        "Money Tip of the Week: a list of the people you are buying for, with an amount beside each name, is the most effective festive budget we know. #MoneyTip",
    ),
    (
        "2025-11-24",
        "Image",
        "Scam Watch: a padlock in the address bar means your connection is encrypted, not that the shop is genuine. #ScamWatch",
    ),
    (
        "2025-12-08",
        "Sidecar",
        "Tags for the Giving Tree are available in every branch until 15 December. Thank you for helping local families this Christmas. #GivingTree",
    ),
    ("2025-12-22", "Image", "Merry Christmas from Brisdale Mutual. We are grateful to every one of our members."),
    ("2025-12-31", "Image", "Best wishes to you and your family for 2026."),
    # ---------------------------------------------------------------- 2026
    (
        "2026-01-09",
        "Image",
        "Money Tip of the Week: set one savings goal for the year, give it a date, and divide the amount by the number of months remaining. A clear monthly figure is easier to keep to. #MoneyTip",
    ),
    (
        "2026-01-23",
        "Image",
        "Scam Watch: be wary of messages claiming that a fine or a toll is unpaid and must be settled at once through a link. Check with the organisation directly. #ScamWatch",
    ),
    ("2026-02-06", "Video", "Paying in a cheque now takes a photograph and a few seconds in the Brisdale Mutual app. #BrisdaleMutualApp"),
    (
        "2026-02-20",
        "Image",
        "Meet the Team: Marcus Bell is our longest-serving mobile banking van driver. In eleven years, he has missed only two visits, both because of snow. #MeetTheTeam",
    ),
    (
        "2026-03-06",
        "Sidecar",
        "From the Archive: the opening of our Wyvern Quay branch in 1994, in the former harbour master's office. #FromTheArchive",
    ),
    (
        "2026-03-13",
        "Image",
        "A 5 per cent deposit is now accepted on our First Home Mortgage, for properties up to £350,000. Your home may be repossessed if you do not keep up your mortgage repayments. #FirstHome",
    ),
    (
        "2026-03-20",
        "Image",
        "Eid Mubarak from all of us at Brisdale Mutual. We hope today brings you peace and the company of those you love.",
    ),
    (
        "2026-04-03",
        "Image",
        "Our branches are closed for the Easter bank holidays and reopen on Tuesday 7 April. Wishing you a happy Easter.",
    ),
    (
        "2026-04-17",
        "Sidecar",
        "Fifty years of Holmbury Green. Thank you to the members who joined us for tea and cake on the anniversary, including three who have banked there since the branch opened in 1976. #HolmburyGreen",
    ),
    (
        "2026-05-01",
        "Image",
        "Money Tip of the Week: when a fixed-rate bond matures, compare rates before you reinvest. The rate you are offered automatically is not always the best available. #MoneyTip",
    ),
    ("2026-05-15", "Image", "Fixed Rate Bonds can now be opened in the app in around five minutes. #BrisdaleMutualApp"),
    (
        "2026-05-29",
        "Image",
        "Scam Watch: advertisements promising guaranteed investment returns under our name are fake. Brisdale Mutual does not advertise investments on social media. #ScamWatch",
    ),
    (
        "2026-06-12",
        "Image",
        "Meet the Team: Helen Carver chairs the panel that awards our Community Fund grants. She reads every application in full, and there were more than two hundred last year. #MeetTheTeam #CommunityFund",
    ),
    (
        "2026-06-26",
        "Image",
        "Children who complete this summer's library reading challenge will receive £5 in a Junior Saver, in addition to a certificate. #JuniorSaver",
    ),
    (
        "2026-07-10",
        "Image",
        "Money Tip of the Week: before the school holidays, set aside a weekly amount for days out and activities, so that the summer does not arrive all at once on your statement. #MoneyTip",
    ),
    (
        "2026-07-24",
        "Sidecar",
        "From the Archive: members queuing for the first day of trading after decimalisation, on 15 February 1971. Staff had spent the weekend converting every passbook by hand. #FromTheArchive",
    ),
    (
        "2026-08-07",
        "Image",
        "The 2026 Community Fund is open until 30 September, with Small Grants of up to £1,000 for new groups. #CommunityFund",
    ),
    ("2026-08-31", "Image", "Our branches are closed today for the summer bank holiday. They will reopen tomorrow morning."),
    (
        "2026-09-11",
        "Image",
        "Meet the Team: Chloe Brennan began as an apprentice in 2022 and now works in our fraud prevention team. Her advice: when in doubt, pause. #MeetTheTeam #Apprenticeships",
    ),
    (
        "2026-09-25",
        "Image",
        "Scam Watch: if someone on a dating site asks you to invest in cryptocurrency alongside them, end the conversation. #ScamWatch #RomanceFraud",
    ),
    ("2026-10-09", "Video", "A short film on how our fraud prevention team protects members' accounts, day and night. #ScamAwareness"),
    (
        "2026-10-19",
        "Sidecar",
        "The eighth Schools Chess Championship welcomed fifty-one teams to Ashcombe Community Hall. Congratulations to Holmbury Green Academy, this year's winners. #SchoolsChess",
    ),
    (
        "2026-10-30",
        "Image",
        "Scam Watch: be cautious of anyone who offers, for a fee, to recover money you have lost to an earlier scam. It is very often the same criminals trying again. #ScamWatch",
    ),
    (
        "2026-11-02",
        "Image",
        "Money Tip of the Week: before the festive season, check when your Christmas payments will leave your account, so that none arrives before your salary. #MoneyTip",
    ),
    ("2026-11-08", "Image", "Wishing a joyous Diwali to all our members and colleagues who are celebrating."),
    (
        "2026-11-16",
        "Image",
        "The Brisdale Mutual app now works better with screen readers, with clearer labels and text that follows your device settings. #Accessibility",
    ),
]
