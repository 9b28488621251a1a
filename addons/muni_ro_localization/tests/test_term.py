# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import unittest

from muni_docs.tests.terms import LegalTermTestMixin


class LegalTermTestCase(LegalTermTestMixin, unittest.TestCase):
    "The registry's legal terms are data of the localisation (term.xml)"
    module = 'muni_ro_localization'
    localisation = 'ro'
    expected = [('L544', 10, 20), ('OG27', 30, 15)]
