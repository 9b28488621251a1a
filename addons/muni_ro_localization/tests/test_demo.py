# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The citizens of Năvodari's demo"
import random
import unittest

from stdnum.ro import cnp as stdnum_cnp

from muni_ro_localization.demo import STREETS, _address, _people


class DemoCitizensTestCase(unittest.TestCase):
    "Test the citizens of the demo"

    def test_people(self):
        """The same seed gives the same distinct citizens, with valid CNPs
        of Constanța county matching their sex"""
        people = _people(random.Random(2026), 200)
        self.assertEqual(people, _people(random.Random(2026), 200))
        self.assertEqual(len({c for _, c in people}), 200)
        for name, cnp in people:
            self.assertTrue(stdnum_cnp.is_valid(cnp), cnp)
            self.assertEqual(cnp[7:9], '13')
            first = name.split()[0]
            male = cnp[0] in '15'
            self.assertEqual(first[-1] == 'a', not male, name)

    def test_addresses(self):
        "Addresses on the town's streets with its postal code 905700"
        rng = random.Random(2028)
        addresses = [_address(rng) for _ in range(300)]
        for address in addresses:
            self.assertEqual(address['postal_code'], '905700')
            self.assertEqual(address['city'], "Năvodari")
            self.assertIn(address['street_name'], STREETS)
            self.assertTrue(1 <= int(address['building_number']) < 80)
        flats = [a for a in addresses if 'room_number' in a]
        self.assertTrue(0.5 < len(flats) / len(addresses) < 0.7)


class DemoObjectsTestCase(unittest.TestCase):
    "Test the tax objects of the demo"

    def test_objects(self):
        """The same seed gives the same objects; every citizen has a home,
        every business a building with its value; each object has the
        fields its tax needs"""
        from decimal import Decimal

        from muni_ro_localization.demo import objects
        parties, legal = list(range(1, 201)), {198, 199, 200}
        values = objects(random.Random(7), parties, legal)
        self.assertEqual(values, objects(random.Random(7), parties, legal))
        self.assertEqual(len({v['reference'] for v in values}), len(values))
        homes = {v['owners'][0][0] for v in values
            if v.get('ro_property_kind') == 'building'}
        self.assertEqual(homes, set(parties))
        for value in values:
            owner, _ = value['owners'][0]
            self.assertEqual(value['ro_owner_kind'],
                'legal' if owner in legal else 'natural')
            if value.get('ro_property_kind') == 'building':
                self.assertIn(value['zone'], 'ABCD')
                self.assertGreater(value['ro_area'], 0)
                if owner in legal:
                    self.assertGreater(value['ro_value'], Decimal(0))
                    self.assertIn(value['ro_value_year'], range(2019, 2025))
            elif value.get('ro_property_kind') == 'land':
                self.assertGreater(value['ro_land_area'], 0)
            elif value['ro_vehicle_kind'] == 'trailer':
                self.assertGreater(value['ro_max_mass'], 0)
            elif value.get('ro_propulsion') != 'electric':
                self.assertGreater(value['ro_engine_cc'], 0)
        kinds = {v.get('ro_vehicle_kind') for v in values}
        self.assertLessEqual({'car', 'trailer'}, kinds)
