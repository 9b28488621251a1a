# This file is part of Pontica.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""HTML reports rendered to PDF by WeasyPrint, which fetches nothing but the
files of the report's own module.

trytond 8.0 gives WeasyPrint a fetcher that follows any http and https URL
of the HTML: a text a citizen or a bank wrote (a subject, a remittance
reason) that ever reached the HTML unescaped could then make the server
call any address it can reach. Our reports need no resource from outside
their module."""
import logging
from pathlib import Path
from urllib.parse import unquote, urlsplit

from trytond.tools import find_dir

logger = logging.getLogger(__name__)


def module_files_fetcher(module):
    """A WeasyPrint URL fetcher that reads only the files under the
    directory of the module and data: URLs, and refuses every other URL"""
    import weasyprint
    root = Path(find_dir(module)).resolve()

    class Fetcher(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == 'data':
                return super().fetch(url, headers)
            if scheme == 'file':
                path = Path(unquote(parts.path)).resolve()
                if path.is_relative_to(root):
                    return super().fetch(url, headers)
            logger.warning("report of %s: refused to fetch %s", module, url)
            raise ValueError(f"refused: {url}")
    return Fetcher(allowed_protocols={'file', 'data'})


class ModuleFilesReport:
    """Mixin of a Report: its HTML is rendered to PDF with
    module_files_fetcher; any other conversion is trytond's"""
    __slots__ = ()

    @classmethod
    def convert(cls, report, data, timeout=5 * 60, retry=5):
        input_format = report.template_extension
        output_format = report.extension or report.template_extension
        if input_format in {'html', 'xhtml'} and output_format == 'pdf':
            import weasyprint
            return output_format, weasyprint.HTML(
                string=data,
                url_fetcher=module_files_fetcher(report.module),
                ).write_pdf()
        return super().convert(report, data, timeout=timeout, retry=retry)
