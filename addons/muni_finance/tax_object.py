# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
import datetime as dt
from decimal import Decimal

from trytond.i18n import gettext
from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .exceptions import OwnershipError


class TaxObject(DeactivableMixin, ModelSQL, ModelView):
    __name__ = 'muni.tax.object'
    __string__ = "Tax Object"
    _rec_name = 'reference'

    company = fields.Many2One(
        'company.company', "Company", required=True, ondelete='CASCADE')
    localisation = fields.Function(
        fields.Selection('get_localisations', "Localisation"),
        'on_change_with_localisation')
    kind = fields.Selection([
            ('property', "Property"),
            ('vehicle', "Vehicle"),
            ('business', "Business Activity"),
            ('accommodation', "Accommodation Place"),
            ('other', "Other"),
            ], "Kind", required=True)
    reference = fields.Char(
        "Reference", required=True,
        help="What identifies the object: the cadastral identifier of a "
        "property, the registration plate of a vehicle…")
    description = fields.Char("Description")
    settlement = fields.Many2One(
        'muni.settlement', "Settlement", ondelete='RESTRICT')
    zone = fields.Many2One(
        'muni.zone', "Zone", ondelete='RESTRICT',
        domain=[('company', '=', Eval('company', -1))])
    address = fields.Char("Address")
    owners = fields.One2Many(
        'muni.tax.object.owner', 'object', "Owners",
        help="The owners with their shares and the dates they acquired "
        "and disposed of the object.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('reference', 'ASC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @classmethod
    def get_localisations(cls):
        from muni_base.settlement import localisations
        return [(None, '')] + localisations()

    @fields.depends('company')
    def on_change_with_localisation(self, name=None):
        return self.company.localisation if self.company else None

    def get_rec_name(self, name):
        if self.description:
            return f'{self.reference} - {self.description}'
        return self.reference

    @classmethod
    def search_rec_name(cls, name, clause):
        from muni_base.settlement import fields_clause
        return fields_clause(
            clause, 'reference', 'description', 'address',
            'owners.party.rec_name')

    @classmethod
    def validate_fields(cls, objects, field_names):
        super().validate_fields(objects, field_names)
        cls.check_shares(objects)

    @classmethod
    def check_shares(cls, objects):
        "The shares of the owners at any date add up to one"
        for object_ in objects:
            owners = object_.owners
            if not owners:
                continue
            dates = {o.start_date or dt.date.min for o in owners}
            dates |= {o.end_date for o in owners if o.end_date}
            for date in sorted(dates):
                current = [o for o in owners if o.owns_on(date)]
                if not current:
                    continue
                total = sum(o.share for o in current)
                if total != 1:
                    raise OwnershipError(gettext(
                            'muni_finance.msg_tax_object_shares',
                            object=object_.rec_name,
                            date=date if date != dt.date.min else '',
                            total=total))


class TaxObjectOwner(ModelSQL, ModelView):
    __name__ = 'muni.tax.object.owner'
    __string__ = "Tax Object Owner"

    object = fields.Many2One(
        'muni.tax.object', "Object", required=True, ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Owner", required=True, ondelete='RESTRICT')
    share = fields.Numeric(
        "Share", digits=(1, 6), required=True,
        domain=[('share', '>', 0), ('share', '<=', 1)],
        help="The owner's part of the object, as a fraction of one.")
    start_date = fields.Date(
        "Acquired", help="Leave empty if owned before the records start.")
    end_date = fields.Date(
        "Disposed",
        domain=[
            If(Bool(Eval('start_date')) & Bool(Eval('end_date')),
                ('end_date', '>', Eval('start_date')), ()),
            ],
        help="The date of the transfer: "
        "the next owner's acquisition date.")
    main_dwelling = fields.Boolean(
        "Main Dwelling",
        help="The owner declared the property as the main dwelling.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('object')
        cls._order.insert(0, ('start_date', 'ASC NULLS FIRST'))

    @staticmethod
    def default_share():
        return Decimal(1)

    def owns_on(self, date):
        return ((not self.start_date or self.start_date <= date)
            and (not self.end_date or date < self.end_date))

    def months_in(self, year):
        """Count the months of the year the owner holds the object, the
        month of acquisition and the month of disposal included"""
        first = 1
        if self.start_date and self.start_date.year == year:
            first = self.start_date.month
        elif self.start_date and self.start_date.year > year:
            return 0
        last = 12
        if self.end_date and self.end_date.year == year:
            last = self.end_date.month
        elif self.end_date and self.end_date.year < year:
            return 0
        return max(last - first + 1, 0)

    @classmethod
    def validate_fields(cls, owners, field_names):
        pool = Pool()
        TaxObject = pool.get('muni.tax.object')
        super().validate_fields(owners, field_names)
        if field_names is None or field_names & {
                'share', 'start_date', 'end_date', 'object'}:
            TaxObject.check_shares(list({o.object for o in owners}))
