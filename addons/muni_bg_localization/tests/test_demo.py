# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The addresses of Balchik's demo citizens"
import random
import unittest
from types import SimpleNamespace

from muni_bg_localization.demo import (
    TOWN_STREETS, VILLAGE_STREETS, _address)

TOWN = SimpleNamespace(name="Балчик", postal_code=None)
VILLAGES = [
    SimpleNamespace(name="Кранево", postal_code=None),
    SimpleNamespace(name="Оброчище", postal_code='9999'),
    ]


class DemoAddressTestCase(unittest.TestCase):
    "Test the addresses of the demo's citizens"

    def addresses(self, seed, count=400):
        rng = random.Random(seed)
        return [_address(rng, TOWN, VILLAGES) for _ in range(count)]

    def test_seeded(self):
        "The same seed gives the same addresses, another seed others"
        self.assertEqual(self.addresses(2028), self.addresses(2028))
        self.assertNotEqual(self.addresses(2028), self.addresses(2029))

    def test_town_and_villages(self):
        """Town addresses are on its streets with its postal code 9600, a
        village's carry its name and the code of its settlement record"""
        addresses = self.addresses(2028)
        town = [a for a in addresses if a['city'] == "гр. Балчик"]
        villages = [a for a in addresses if a['city'] != "гр. Балчик"]
        # about two in three in the town
        self.assertTrue(0.55 < len(town) / len(addresses) < 0.75)
        for address in town:
            self.assertEqual(address['postal_code'], '9600')
            self.assertIn(address['street_name'], TOWN_STREETS)
            self.assertTrue(1 <= int(address['building_number']) < 60)
        flats = [a for a in town if 'room_number' in a]
        self.assertTrue(flats and len(flats) < len(town))
        for address in flats:
            self.assertTrue(1 <= int(address['floor_number']) <= 8)
            self.assertTrue(1 <= int(address['room_number']) <= 30)
        self.assertEqual(
            {a['city'] for a in villages}, {"с. Кранево", "с. Оброчище"})
        for address in villages:
            self.assertIn(address['street_name'], VILLAGE_STREETS)
            self.assertEqual(address['postal_code'], {
                    "с. Кранево": None, "с. Оброчище": '9999',
                    }[address['city']])
            self.assertNotIn('room_number', address)
