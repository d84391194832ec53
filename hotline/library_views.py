"""The self-help library's pages: public reading and search (/tro-giup/), and editing by supervisors."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Category
from cases.plumbing import staff_required
from hotline import library
from hotline.models import Article, ArticleState

EDIT_PERMISSION = "hotline.edit_library"


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search the articles"), max_length=library.MAX_QUERY_LENGTH, required=False)


class ArticleForm(forms.ModelForm):
    reviewed = forms.BooleanField(
        label=gettext_lazy("I have checked that this text is correct and up to date (records me as its reviewer)"),
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("What changed (for the history)"), max_length=200, required=False)

    class Meta:
        model = Article
        fields = library.EDITABLE_FIELDS
        widgets = {
            "body_vi": forms.Textarea(attrs={"rows": 18}),
            "body_en": forms.Textarea(attrs={"rows": 10}),
        }
        help_texts = {
            "slug": gettext_lazy("Lower-case Vietnamese words without diacritics, joined by hyphens: bi-lua-dao."),
            "body_vi": gettext_lazy("Markdown: ## heading, **bold**, - list, 1. steps, [text](https://...)."),
            "body_en": gettext_lazy("Optional: readers who chose English see the Vietnamese text when it is empty."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(parent__isnull=True, active=True)

    def clean(self):
        data = super().clean()
        never_reviewed = self.instance.reviewed_on is None
        if data.get("state") == ArticleState.PUBLISHED and never_reviewed and not data.get("reviewed"):
            self.add_error("reviewed", _("An article is reviewed before it is published: tick this box."))
        return data


@require_GET
def home(request):
    return render(
        request,
        "hotline/library/home.html",
        {"sections": library.home_sections(), "search_form": SearchForm()},
    )


@require_GET
def article(request, slug):
    page = library.article_page(slug)
    if page is None:
        raise Http404
    if request.method == "GET":  # link previews and monitors send HEAD: not a reader
        library.count_view(page["id"])
    return render(request, "hotline/library/article.html", {"article": page})


@require_GET
def search(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = library.search(query) if query else []
    return render(
        request,
        "hotline/library/search.html",
        {"search_form": form, "query": query, "results": results},
    )


@require_GET
@staff_required(EDIT_PERMISSION)
def manage(request):
    articles = Article.objects.select_related("reviewed_by").order_by("situation", "sort_order", "slug")
    return render(request, "hotline/library/manage.html", {"articles": articles})


def _edit(request, article):
    form = ArticleForm(request.POST or None, instance=article)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = library.save_article(
                article=article,
                data=form.cleaned_data,
                by=request.user,
                reviewed=form.cleaned_data["reviewed"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("The article was saved."))
            return redirect("library_edit", pk=saved.pk)
        status = 400
    return render(request, "hotline/library/edit.html", {"form": form, "article": article}, status=status)


@require_http_methods(["GET", "POST"])
@staff_required(EDIT_PERMISSION)
def create(request):
    return _edit(request, None)


@require_http_methods(["GET", "POST"])
@staff_required(EDIT_PERMISSION)
def edit(request, pk):
    return _edit(request, get_object_or_404(Article.objects.select_related("reviewed_by"), pk=pk))


@require_GET
@staff_required(EDIT_PERMISSION)
def history(request, pk):
    article = get_object_or_404(Article, pk=pk)
    versions = article.versions.select_related("saved_by")
    return render(request, "hotline/library/history.html", {"article": article, "versions": versions})
