# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Amounts in words in Bulgarian: hand-checked cases and property tests

The expected strings below were written by hand from the grammar rules in
the docstring of words.py (and cross-checked against published examples:
"двеста и една хиляди четиристотин и едно", "триста и шест хиляди",
"двадесет и една хиляди и един", "две хиляди и десета година"), not copied
from the function's output.  The property tests use a parser written here,
independently of words.py, that also checks the grammar it reads.
"""
import re
import unittest
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ..words import amount_to_words, number_to_words

D = Decimal

# n, masculine words (as for "лев"); a comment splits n into its groups
NUMBERS = [
    (0, 'нула'),
    (1, 'един'),
    (2, 'два'),
    (3, 'три'),
    (4, 'четири'),
    (5, 'пет'),
    (6, 'шест'),
    (7, 'седем'),
    (8, 'осем'),
    (9, 'девет'),
    (10, 'десет'),
    (11, 'единадесет'),
    (12, 'дванадесет'),
    (13, 'тринадесет'),
    (14, 'четиринадесет'),
    (15, 'петнадесет'),
    (16, 'шестнадесет'),
    (17, 'седемнадесет'),
    (18, 'осемнадесет'),
    (19, 'деветнадесет'),
    (20, 'двадесет'),
    (21, 'двадесет и един'),
    (22, 'двадесет и два'),
    (30, 'тридесет'),
    (40, 'четиридесет'),
    (45, 'четиридесет и пет'),
    (50, 'петдесет'),
    (60, 'шестдесет'),
    (66, 'шестдесет и шест'),
    (70, 'седемдесет'),
    (80, 'осемдесет'),
    (90, 'деветдесет'),
    (99, 'деветдесет и девет'),
    # 100 + 0 + 0 ... : "и" before the last of hundreds, tens, units
    (100, 'сто'),
    (101, 'сто и един'),
    (105, 'сто и пет'),
    (110, 'сто и десет'),
    (111, 'сто и единадесет'),
    (119, 'сто и деветнадесет'),
    (120, 'сто и двадесет'),
    (121, 'сто двадесет и един'),
    (123, 'сто двадесет и три'),
    (200, 'двеста'),
    (202, 'двеста и два'),
    (260, 'двеста и шестдесет'),
    (261, 'двеста шестдесет и един'),
    (300, 'триста'),
    (400, 'четиристотин'),
    (500, 'петстотин'),
    (600, 'шестстотин'),
    (700, 'седемстотин'),
    (800, 'осемстотин'),
    (900, 'деветстотин'),
    (999, 'деветстотин деветдесет и девет'),
    # 1000 is plain "хиляда"; 1·1000 + 1
    (1000, 'хиляда'),
    (1001, 'хиляда и един'),
    (1010, 'хиляда и десет'),
    (1011, 'хиляда и единадесет'),
    (1021, 'хиляда двадесет и един'),
    (1100, 'хиляда и сто'),
    (1101, 'хиляда сто и един'),
    (1123, 'хиляда сто двадесет и три'),
    (1985, 'хиляда деветстотин осемдесет и пет'),
    (1999, 'хиляда деветстотин деветдесет и девет'),
    # 2·1000: "хиляди" is feminine, so две
    (2000, 'две хиляди'),
    (2001, 'две хиляди и един'),
    (2002, 'две хиляди и два'),
    (2010, 'две хиляди и десет'),
    (2026, 'две хиляди двадесет и шест'),
    (2500, 'две хиляди и петстотин'),
    (3000, 'три хиляди'),
    (10000, 'десет хиляди'),
    (11000, 'единадесет хиляди'),
    (12000, 'дванадесет хиляди'),
    # 21·1000: една хиляди (feminine), the plural after a compound
    (21000, 'двадесет и една хиляди'),
    (21001, 'двадесет и една хиляди и един'),
    (22000, 'двадесет и две хиляди'),
    (100000, 'сто хиляди'),
    (101000, 'сто и една хиляди'),
    (120000, 'сто и двадесет хиляди'),
    (125125, 'сто двадесет и пет хиляди сто двадесет и пет'),
    (201401, 'двеста и една хиляди четиристотин и един'),
    (306000, 'триста и шест хиляди'),
    (326567, 'триста двадесет и шест хиляди петстотин шестдесет и седем'),
    (999999, 'деветстотин деветдесет и девет хиляди'
        ' деветстотин деветдесет и девет'),
    # 1·10**6: един милион; 2·10**6: два милиона (masculine, counting form)
    (1000000, 'един милион'),
    (1000001, 'един милион и един'),
    (1000100, 'един милион и сто'),
    (1000500, 'един милион и петстотин'),
    (1001000, 'един милион и хиляда'),
    (1002000, 'един милион и две хиляди'),
    (1021000, 'един милион двадесет и една хиляди'),
    (1100000, 'един милион и сто хиляди'),
    (1100100, 'един милион сто хиляди и сто'),
    (1200300, 'един милион двеста хиляди и триста'),
    (2000000, 'два милиона'),
    (2500000, 'два милиона и петстотин хиляди'),
    (12000000, 'дванадесет милиона'),
    (21000000, 'двадесет и един милиона'),
    (22000000, 'двадесет и два милиона'),
    (101000000, 'сто и един милиона'),
    # 1·10**6 + 234·10**3 + 567
    (1234567, 'един милион двеста тридесет и четири хиляди'
        ' петстотин шестдесет и седем'),
    (1000000000, 'един милиард'),
    (1000000001, 'един милиард и един'),
    (1000001000, 'един милиард и хиляда'),
    (1001000000, 'един милиард и един милион'),
    (2000000000, 'два милиарда'),
    # 2·10**9 + 2·10**6 + 2·10**3 + 2
    (2002002002, 'два милиарда два милиона две хиляди и два'),
    (21000000000, 'двадесет и един милиарда'),
    # 12·10**9 + 345·10**6 + 678·10**3 + 901
    (12345678901, 'дванадесет милиарда триста четиридесет и пет милиона'
        ' шестстотин седемдесет и осем хиляди деветстотин и един'),
    (999999999999, 'деветстотин деветдесет и девет милиарда'
        ' деветстотин деветдесет и девет милиона'
        ' деветстотин деветдесет и девет хиляди'
        ' деветстотин деветдесет и девет'),
    ]

# n, feminine (as for "стотинка"), neuter (as for "евро"), where they
# differ from the masculine: only a final един / два changes
GENDERED = [
    (1, 'една', 'едно'),
    (2, 'две', 'две'),
    (21, 'двадесет и една', 'двадесет и едно'),
    (22, 'двадесет и две', 'двадесет и две'),
    (101, 'сто и една', 'сто и едно'),
    (202, 'двеста и две', 'двеста и две'),
    (1001, 'хиляда и една', 'хиляда и едно'),
    (2002, 'две хиляди и две', 'две хиляди и две'),
    (21001, 'двадесет и една хиляди и една', 'двадесет и една хиляди и едно'),
    (1000001, 'един милион и една', 'един милион и едно'),
    (2002002002, 'два милиарда два милиона две хиляди и две',
        'два милиарда два милиона две хиляди и две'),
    ]
# and where they do not: 11, 12, thousands, millions, billions
UNGENDERED = [0, 11, 12, 111, 112, 1000, 2000, 21000, 1000000, 2000000,
    21000000, 1000000000, 2000000000]

AMOUNTS = [
    (D('70.00'), 'EUR', 'седемдесет евро'),
    (70, 'EUR', 'седемдесет евро'),
    (D('70.0'), 'EUR', 'седемдесет евро'),
    (D('0.00'), 'EUR', 'нула евро'),
    (D('0.00'), 'BGN', 'нула лева'),
    (D('-0.00'), 'BGN', 'нула лева'),
    (D('1.00'), 'EUR', 'едно евро'),
    (D('1.00'), 'BGN', 'един лев'),
    (D('2.00'), 'BGN', 'два лева'),
    (D('5.00'), 'BGN', 'пет лева'),
    (D('1.01'), 'BGN', 'един лев и една стотинка'),
    (D('1.01'), 'EUR', 'едно евро и един евроцент'),
    (D('2.02'), 'EUR', 'две евро и два евроцента'),
    (D('2.02'), 'BGN', 'два лева и две стотинки'),
    (D('5.05'), 'BGN', 'пет лева и пет стотинки'),
    (D('21.21'), 'EUR', 'двадесет и едно евро и двадесет и един евроцента'),
    (D('21.21'), 'BGN', 'двадесет и един лева и двадесет и една стотинки'),
    (D('0.01'), 'EUR', 'нула евро и един евроцент'),
    (D('0.01'), 'BGN', 'нула лева и една стотинка'),
    (D('0.02'), 'EUR', 'нула евро и два евроцента'),
    (D('0.10'), 'BGN', 'нула лева и десет стотинки'),
    (D('0.11'), 'EUR', 'нула евро и единадесет евроцента'),
    (D('0.12'), 'BGN', 'нула лева и дванадесет стотинки'),
    (D('0.99'), 'EUR', 'нула евро и деветдесет и девет евроцента'),
    (D('12.50'), 'EUR', 'дванадесет евро и петдесет евроцента'),
    (D('100.00'), 'BGN', 'сто лева'),
    (D('101.01'), 'BGN', 'сто и един лева и една стотинка'),
    (D('1000.00'), 'BGN', 'хиляда лева'),
    (D('1001.00'), 'EUR', 'хиляда и едно евро'),
    (D('1001.00'), 'BGN', 'хиляда и един лева'),
    # 1234.56 = 1·1000 + 234, 56 cents
    (D('1234.56'), 'EUR', 'хиляда двеста тридесет и четири евро'
        ' и петдесет и шест евроцента'),
    (D('2000.02'), 'BGN', 'две хиляди лева и две стотинки'),
    (D('1000000.00'), 'BGN', 'един милион лева'),
    (D('1000000.00'), 'EUR', 'един милион евро'),
    (D('2000000.01'), 'EUR', 'два милиона евро и един евроцент'),
    (D('1000000000.00'), 'BGN', 'един милиард лева'),
    (D('999999999999.99'), 'EUR', 'деветстотин деветдесет и девет милиарда'
        ' деветстотин деветдесет и девет милиона'
        ' деветстотин деветдесет и девет хиляди'
        ' деветстотин деветдесет и девет евро'
        ' и деветдесет и девет евроцента'),
    ]


# --- an independent reader of Bulgarian numerals -------------------------
# word: (value, class, gender); the class orders the elements of a group
# (hundreds 3 > tens and 10-19 2 > units 1) and gender is that of 1 and 2
WORDS = {'нула': (0, 0, None)}
for value, word in enumerate(['десет', 'единадесет', 'дванадесет',
        'тринадесет', 'четиринадесет', 'петнадесет', 'шестнадесет',
        'седемнадесет', 'осемнадесет', 'деветнадесет'], 10):
    WORDS[word] = (value, 2, None)
for value, word in enumerate(['три', 'четири', 'пет', 'шест', 'седем',
        'осем', 'девет'], 3):
    WORDS[word] = (value, 1, None)
for value, word in enumerate(['двадесет', 'тридесет', 'четиридесет',
        'петдесет', 'шестдесет', 'седемдесет', 'осемдесет', 'деветдесет'],
        2):
    WORDS[word] = (value * 10, 2, None)
for value, word in enumerate(['сто', 'двеста', 'триста', 'четиристотин',
        'петстотин', 'шестстотин', 'седемстотин', 'осемстотин',
        'деветстотин'], 1):
    WORDS[word] = (value * 100, 3, None)
WORDS.update({
        'един': (1, 1, 'm'), 'една': (1, 1, 'f'), 'едно': (1, 1, 'n'),
        'два': (2, 1, 'm'), 'две': (2, 1, 'fn'),
        })
# scale noun: (value, gender, singular?)
SCALE_WORDS = {
    'хиляда': (10 ** 3, 'f', True), 'хиляди': (10 ** 3, 'f', False),
    'милион': (10 ** 6, 'm', True), 'милиона': (10 ** 6, 'm', False),
    'милиард': (10 ** 9, 'm', True), 'милиарда': (10 ** 9, 'm', False),
    }
ONE_TWO = {'m': ('един', 'два'), 'f': ('една', 'две'), 'n': ('едно', 'две')}


def parse(words, gender='m'):
    """The number that the list of words spells, checking on the way that
    elements and scales descend, that 1 and 2 agree with the counted noun
    (the scale's, or gender for the last group) and the singular/plural of
    the scale nouns"""
    if words == ['нула']:
        return 0
    total, group, last_class, last_scale = 0, [], 4, 10 ** 12
    for word in words:
        if word == 'и':
            continue
        if word in WORDS:
            value, class_, word_gender = WORDS[word]
            if not 0 < class_ < last_class:
                raise ValueError(f'{word} out of order in {words}')
            group.append((value, word_gender))
            last_class = class_
        elif word in SCALE_WORDS:
            scale, scale_gender, singular = SCALE_WORDS[word]
            if scale >= last_scale:
                raise ValueError(f'{word} out of order in {words}')
            count = sum(v for v, _ in group)
            check_gender(group, scale_gender, words)
            if word == 'хиляда':
                if group:
                    raise ValueError(f'"... хиляда" in {words}')
                count = 1
            elif not group:
                raise ValueError(f'{word} without a count in {words}')
            elif singular != (count == 1):
                raise ValueError(f'{word} after {count} in {words}')
            elif singular and [g for _, g in group] != ['m']:
                raise ValueError(f'"{word}" without един in {words}')
            total += count * scale
            group, last_class, last_scale = [], 4, scale
        else:
            raise ValueError(f'unknown word {word!r} in {words}')
    check_gender(group, gender, words)
    return total + sum(v for v, _ in group)


def check_gender(group, gender, words):
    for value, word_gender in group:
        if word_gender is not None and gender not in word_gender:
            raise ValueError(f'{value} not {gender} in {words}')


def split_groups(n):
    "[(count, scale)] of the non-zero groups of three digits, highest first"
    return [(n // scale % 1000, scale)
        for scale in (10 ** 9, 10 ** 6, 10 ** 3, 1) if n // scale % 1000]


def elements(count):
    "The values of the elements of a group: 125 -> [100, 20, 5]"
    hundreds, rest = count // 100 * 100, count % 100
    result = [hundreds] if hundreds else []
    if 10 <= rest <= 19:
        result.append(rest)
    else:
        result += [v for v in (rest // 10 * 10, rest % 10) if v]
    return result


# numbers with many zero digits, where the "и" rules bite
GROUP = st.one_of(st.just(0), st.sampled_from([1, 2, 10, 11, 12, 20, 21,
    22, 100, 101, 102, 110, 111, 120, 121, 200, 999]),
    st.integers(1, 999))
SPARSE = st.builds(lambda a, b, c, d: ((a * 1000 + b) * 1000 + c) * 1000 + d,
    GROUP, GROUP, GROUP, GROUP)
NUMBER = st.one_of(st.integers(0, 10 ** 12 - 1), SPARSE)
GENDER = st.sampled_from('mfn')
SETTINGS = settings(max_examples=400, deadline=None, database=None)


class NumberToWordsTestCase(unittest.TestCase):
    "number_to_words"

    def test_hand_checked(self):
        "The hand-checked numbers in the masculine"
        for n, words in NUMBERS:
            with self.subTest(n=n):
                self.assertEqual(number_to_words(n), words)
                self.assertEqual(number_to_words(n, 'm'), words)

    def test_genders(self):
        "Feminine and neuter change only a final един / два"
        for n, feminine, neuter in GENDERED:
            with self.subTest(n=n):
                self.assertEqual(number_to_words(n, 'f'), feminine)
                self.assertEqual(number_to_words(n, 'n'), neuter)
        for n in UNGENDERED:
            with self.subTest(n=n):
                self.assertEqual(number_to_words(n, 'f'),
                    number_to_words(n, 'm'))
                self.assertEqual(number_to_words(n, 'n'),
                    number_to_words(n, 'm'))

    def test_refused(self):
        "Out of range, not an int, unknown gender"
        for n in [-1, 10 ** 12, 10 ** 15]:
            with self.subTest(n=n):
                with self.assertRaises(ValueError):
                    number_to_words(n)
        for n in [1.0, D(1), '1', True, None]:
            with self.subTest(n=n):
                with self.assertRaises(TypeError):
                    number_to_words(n)
        for gender in ['', 'M', 'x', None]:
            with self.subTest(gender=gender):
                with self.assertRaises(ValueError):
                    number_to_words(1, gender)

    def test_exhaustive_below_hundred_thousand(self):
        "Every number below 10**5 reads back, in all genders"
        for n in range(10 ** 5):
            for gender in 'mfn' if n % 10 in {1, 2} else 'm':
                words = number_to_words(n, gender).split(' ')
                if parse(words, gender) != n:
                    self.fail(f'{n} ({gender}): {words}')

    def test_exhaustive_groups(self):
        "Every group of three digits as thousands, millions and billions"
        for count in range(1, 1000):
            for scale in (10 ** 3, 10 ** 6, 10 ** 9):
                for n in (count * scale, count * scale + 1,
                        count * scale + scale // 1000 * 100):
                    self.assertEqual(
                        parse(number_to_words(n).split(' ')), n)

    @SETTINGS
    @given(NUMBER, GENDER)
    def test_round_trip(self, n, gender):
        "The words read back to the number, with agreeing 1 and 2"
        self.assertEqual(parse(number_to_words(n, gender).split(' '), gender),
            n)

    @SETTINGS
    @given(NUMBER, GENDER)
    def test_spacing(self, n, gender):
        "Lower-case Cyrillic words separated by single spaces"
        self.assertRegex(number_to_words(n, gender), r'^[а-я]+( [а-я]+)*$')

    @SETTINGS
    @given(NUMBER)
    def test_gender_only_one_and_two(self, n):
        "Genders differ only in the last word, един/една/едно or два/две"
        words = {g: number_to_words(n, g).split(' ') for g in 'mfn'}
        self.assertEqual(words['m'][:-1], words['f'][:-1])
        self.assertEqual(words['m'][:-1], words['n'][:-1])
        if n % 10 in {1, 2} and n % 100 not in {11, 12}:
            for gender in 'mfn':
                self.assertEqual(words[gender][-1],
                    ONE_TWO[gender][n % 10 - 1])
        else:
            self.assertEqual(words['m'], words['f'])
            self.assertEqual(words['m'], words['n'])

    @SETTINGS
    @given(NUMBER)
    def test_conjunction_count(self, n):
        """One "и" in each group of two or more elements, and one before
        the last group when it is a single element after other groups"""
        words = number_to_words(n).split(' ')
        groups = split_groups(n)
        expected = sum(1 for count, _ in groups if len(elements(count)) > 1)
        if len(groups) > 1 and len(elements(groups[-1][0])) == 1:
            expected += 1
        self.assertEqual(words.count('и'), expected)
        self.assertLessEqual(words.count('и'), max(len(groups), 1))
        self.assertNotEqual(words[0], 'и')
        self.assertNotEqual(words[-1], 'и')
        self.assertNotIn(('и', 'и'), list(zip(words, words[1:])))

    @SETTINGS
    @given(NUMBER)
    def test_conjunction_before_last_element(self, n):
        """The last "и" is followed by the last element of the number (and
        its scale noun) alone; no "и" when the number has one element"""
        words = number_to_words(n).split(' ')
        groups = split_groups(n)
        n_elements = sum(len(elements(count)) for count, _ in groups)
        if n_elements < 2:
            self.assertNotIn('и', words)
            return
        count, scale = groups[-1]
        last = elements(count)[-1]
        tail = words[len(words) - words[::-1].index('и'):]
        if scale == 10 ** 3 and count == 1:
            self.assertEqual(tail, ['хиляда'])
            return
        self.assertEqual(WORDS[tail[0]][0], last)
        self.assertEqual([SCALE_WORDS[w][0] for w in tail[1:]],
            [scale] if scale > 1 else [])


class AmountToWordsTestCase(unittest.TestCase):
    "amount_to_words"

    def test_hand_checked(self):
        for amount, currency, words in AMOUNTS:
            with self.subTest(amount=amount, currency=currency):
                self.assertEqual(amount_to_words(amount, currency), words)

    def test_refused(self):
        for amount, currency in [
                (D('-0.01'), 'EUR'), (D('-1'), 'BGN'),
                (D('1.005'), 'EUR'), (D('0.001'), 'BGN'),
                (D('1E12'), 'EUR'), (D('1E30'), 'EUR'),
                (D('NaN'), 'EUR'), (D('Infinity'), 'BGN'),
                (D('1.00'), 'USD'), (D('1.00'), 'eur'), (D('1.00'), ''),
                (D('1.00'), None)]:
            with self.subTest(amount=amount, currency=currency):
                with self.assertRaises(ValueError):
                    amount_to_words(amount, currency)
        for amount in [1.0, '1.00', None, True]:
            with self.subTest(amount=amount):
                with self.assertRaises(TypeError):
                    amount_to_words(amount, 'EUR')

    @SETTINGS
    @given(st.one_of(st.integers(0, 10 ** 14 - 1),
            st.builds(lambda n, c: n * 100 + c, SPARSE, st.integers(0, 99))),
        st.sampled_from(['EUR', 'BGN']))
    def test_round_trip(self, cents, currency):
        """Whole units and cents read back exactly, each with its noun in
        the right number and its 1 and 2 in the noun's gender"""
        amount = D(cents).scaleb(-2)
        whole, cent = divmod(cents, 100)
        words = amount_to_words(amount, currency).split(' ')
        if currency == 'EUR':
            nouns = {'евро'}
            gender, sub_gender = 'n', 'm'
            unit = 'евро'
            subunit = 'евроцент' if cent == 1 else 'евроцента'
        else:
            nouns = {'лев', 'лева'}
            gender, sub_gender = 'm', 'f'
            unit = 'лев' if whole == 1 else 'лева'
            subunit = 'стотинка' if cent == 1 else 'стотинки'
        index = next(i for i, w in enumerate(words) if w in nouns)
        self.assertEqual(words[index], unit)
        self.assertEqual(parse(words[:index], gender), whole)
        rest = words[index + 1:]
        if cent:
            self.assertEqual(rest[0], 'и')
            self.assertEqual(rest[-1], subunit)
            self.assertEqual(parse(rest[1:-1], sub_gender), cent)
        else:
            self.assertEqual(rest, [])
        self.assertIsNone(re.search(r'\s\s|^\s|\s$',
                amount_to_words(amount, currency)))
