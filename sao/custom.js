/* This file is part of Pontica.  The COPYRIGHT file at the top level of
   this repository contains the full copyright notices and license terms. */
/* Pontica's additions to sao, the web client. scripts/sao_locale.py (run
   by scripts/install.sh) writes this file first into
   var/sao/package/custom.js, which index.html loads after sao itself. */
(function() {
    'use strict';

    /* Numbers typed in the user's language.

       sao 8.0 types integers, floats and numerics in an <input
       type="number">, which the browser parses by its own locale, not by
       the user's language: in a browser set to English, a Bulgarian or a
       Romanian clerk's "125,50" is read as 12550 (the comma taken for a
       thousands separator). As Tryton's desktop client does, the field is
       a text input here that reads and writes the separators of the
       user's language (those of its Tryton record, and those sao displays
       the numbers with), so that "125,50" is 125.50 under bg and ro. An
       ambiguous or malformed entry ("125.50" where the point groups
       thousands, "1,2,3") is invalid: the field stays in edition, marked
       invalid, instead of guessing. */
    var CLASS = 'pontica-number';

    function code_point(character) {
        return '\\u{' + character.codePointAt(0).toString(16) + '}';
    }

    /* The separators of the user's language: Tryton's (the language's
       record, which sao keeps as Sao.i18n.locale) and those sao displays
       numbers with (the browser's Intl for the language) */
    function separators() {
        var locale = Sao.i18n.locale || {};
        var format;
        try {
            format = new Intl.NumberFormat(
                Sao.i18n.BC47(Sao.i18n.getlang() || 'en')).format;
        } catch (e) {
            format = new Intl.NumberFormat('en').format;
        }
        // 10000: some languages (es) group only from five digits
        var thousands = (/^10(\D*)000$/.exec(format(10000)) || [])[1] || '';
        var decimal = locale.decimal_point ||
            (/^0(\D+)1$/.exec(format(0.1)) || [])[1] || '.';
        var groups = [thousands, locale.thousands_sep || ''].filter(
            g => g && (g != decimal));
        return {'thousands': groups, 'decimal': decimal};
    }

    var cache = {};

    /* The expression of a number in the language: a sign, the integer
       part plain or grouped by threes, the decimal part. A point is taken
       as the decimal separator too where it does not group thousands. */
    function syntax() {
        var key = JSON.stringify(
            [Sao.i18n.getlang(), Sao.i18n.locale || {}]);
        if (cache.key === key) {
            return cache;
        }
        var sep = separators();
        var group = '[\\s\\u{a0}\\u{202f}' +
            sep.thousands.map(code_point).join('') + ']';
        var decimals = [sep.decimal];
        if (!sep.thousands.includes('.') && (sep.decimal != '.')) {
            decimals.push('.');
        }
        var decimal = '[' + decimals.map(code_point).join('') + ']';
        var source = '(?=.*\\d)\\s*([\\u{2d}\\u{2b}\\u{2212}]?)\\s*' +
            '(\\d{1,3}(?:' + group + '\\d{3})+|\\d*)' +
            '(?:' + decimal + '(\\d*))?\\s*';
        cache = {
            'key': key,
            'separators': sep,
            'source': source,
            'expression': new RegExp('^' + source + '$', 'u'),
            'group': new RegExp(group, 'gu'),
        };
        return cache;
    }

    /* The value of the text for sao ("1234.5", "-3"); '' when empty or
       invalid, as an invalid <input type="number"> gives */
    function parse(text) {
        var rules = syntax();
        var match = rules.expression.exec(text);
        if (!match) {
            return '';
        }
        var negative = (match[1] == '-') || (match[1] == '\u2212');
        var integer = match[2].replace(rules.group, '') || '0';
        var fraction = match[3] || '';
        return (negative ? '-' : '') + integer + (
            fraction ? '.' + fraction : '');
    }

    /* The text of a value given by sao (a number, a Sao.Decimal or a
       string such as "1234.50") in the language, without grouping */
    function format(value) {
        if ((value === null) || (value === undefined)) {
            return '';
        }
        value = String(value);
        if (!/^-?\d*(\.\d*)?$/.test(value)) {
            return value;
        }
        return value.replace('.', syntax().separators.decimal);
    }

    var previous = jQuery.valHooks.text || {};
    jQuery.valHooks.text = {
        'get': function(element) {
            if (element.classList.contains(CLASS)) {
                return parse(element.value);
            }
            return previous.get ? previous.get(element) : undefined;
        },
        'set': function(element, value) {
            if (element.classList.contains(CLASS)) {
                element.value = format(value);
                return true;
            }
            return previous.set ? previous.set(element, value) : undefined;
        },
    };

    function localize(input) {
        if (!input || !input.length || input.hasClass(CLASS)) {
            return;
        }
        var value = input.val();
        input[0].type = 'text';
        input.addClass(CLASS);
        input.attr({
            'inputmode': 'decimal',
            'autocomplete': 'off',
            'pattern': syntax().source,
        });
        input.val(value);
        // the language may change while the widget lives
        input.on('focusin', function() {
            input.attr('pattern', syntax().source);
        });
    }

    function after(Class, name) {
        var original = Class.prototype[name];
        Class.prototype[name] = function() {
            var result = original.apply(this, arguments);
            localize(this.input);
            return result;
        };
    }

    // the form's, the editable list's (subclasses) and the dictionary's
    // number widgets
    after(Sao.View.Form.Integer, 'init');
    after(Sao.View.Form.Dict.Integer, 'create_widget');

    /* The buttons that change a list inside a form (new, delete, undelete,
       add, remove) are hidden, not only greyed, while the list is
       read-only: the instalments of a posted assessment or the allocations
       of a posted payment cannot change, and a clerk should not look for
       how. The list's own buttons (switch view, previous, next) stay. */
    function hide_edit_buttons(Widget, names) {
        var set_sensitive = Widget.prototype._set_button_sensitive;
        Widget.prototype._set_button_sensitive = function() {
            set_sensitive.apply(this, arguments);
            var readonly = Boolean(this._readonly);
            names.forEach((name) => {
                if (this[name]) {
                    this[name].toggle(!readonly);
                }
            });
        };
    }
    hide_edit_buttons(Sao.View.Form.One2Many,
        ['but_new', 'but_del', 'but_undel', 'but_add', 'but_remove']);
    hide_edit_buttons(Sao.View.Form.Many2Many, ['but_add', 'but_remove']);

    Sao.Pontica = {
        'parse_number': parse,
        'format_number': format,
    };
}());
