# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"The shipped configuration: request sizes and the staff's password policy"
import configparser
import unittest
from pathlib import Path
from unittest.mock import patch

from trytond.config import config
from trytond.pool import Pool
from trytond.res.exceptions import PasswordError
from trytond.tests.test_tryton import (
    activate_module, drop_db, with_transaction)

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / 'config' / 'trytond.conf'
# the configurations of a real installation and of the containers
INSTALLED = [
    ROOT / 'config' / 'trytond-postgresql.conf.example',
    ROOT / 'docker' / 'trytond.conf',
    ]
FORBIDDEN = ROOT / 'config' / 'forbidden-passwords.txt'


def shipped():
    parser = configparser.ConfigParser()
    parser.read(SHIPPED)
    return parser


class ShippedConfigTestCase(unittest.TestCase):
    "The configuration the demo and a new installation start from"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        drop_db()
        activate_module(['muni_base'])

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        drop_db()

    def test_request_size(self):
        "A logged-in request is limited to 64 MiB, not trytond's 2 GiB"
        size = shipped().getint('request', 'max_size_authenticated')
        self.assertEqual(size, 64 * 1024 * 1024)
        self.assertLess(size, int(config.get(
                    'request', 'max_size_authenticated')))

    def test_installations_as_shipped(self):
        "A real installation and the containers have the same limits"
        for path in INSTALLED:
            parser = configparser.ConfigParser()
            parser.read(path)
            with self.subTest(path=path.name):
                for section, option in [
                        ('request', 'max_size_authenticated'),
                        ('password', 'length')]:
                    self.assertEqual(parser.get(section, option),
                        shipped().get(section, option))
                # the forbidden list where install.sh puts the repository
                self.assertEqual(parser.get('password', 'forbidden'),
                    '/opt/pontica/config/forbidden-passwords.txt')

    @with_transaction()
    def test_password_policy(self):
        "Staff passwords: 12 characters at least, none of the common ones"
        User = Pool().get('res.user')
        values = {
            ('password', 'length'): shipped().get('password', 'length'),
            ('password', 'forbidden'): str(FORBIDDEN),
            }
        original_get, original_getint = config.get, config.getint

        def get(section, option, *args, **kwargs):
            if (section, option) in values:
                return values[section, option]
            return original_get(section, option, *args, **kwargs)

        def getint(section, option, *args, **kwargs):
            if (section, option) in values:
                return int(values[section, option])
            return original_getint(section, option, *args, **kwargs)

        maria = User(name="Мария Колева", login='maria')
        with patch.object(config, 'get', get), \
                patch.object(config, 'getint', getint):
            for password in ['Kasa-2026!', 'parola123456',
                    'obshtinabalchik', 'мария колева']:
                with self.subTest(password=password), \
                        self.assertRaises(PasswordError):
                    User.validate_password(password, [maria])
            User.validate_password('зелен-кит-на-плажа', [maria])
            User.validate_password('Tr0mpeta-Albena', [maria])

