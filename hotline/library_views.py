"""The self-help library's pages: public reading and search (/tro-giup/), and editing by supervisors."""

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from cases.models import Category
from cases.plumbing import staff_required
from hotline import library
from hotline.models import Article, ArticleImage, ArticleState

EDIT_PERMISSION = "hotline.edit_library"


class SearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search the articles"), max_length=library.MAX_QUERY_LENGTH, required=False)


class ArticleForm(forms.ModelForm):
    reviewed = forms.BooleanField(
        label=gettext_lazy("I have checked that this text is correct and up to date (records me as its reviewer)"),
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("What changed (for the history)"), max_length=200, required=False)
    image = forms.FileField(
        label=gettext_lazy("Add a picture (PNG, JPEG or WebP)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=gettext_lazy(
            "It is added at the end of the Vietnamese text as a Markdown line: move that line where the picture "
            "belongs. Its location and camera details are removed. Never upload a picture of a child."
        ),
    )
    image_alt = forms.CharField(
        label=gettext_lazy("What the picture shows, in words (for readers who cannot see it)"),
        max_length=200,
        required=False,
    )

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

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        return library.check_image(upload) if upload else None

    def clean_body_vi(self):
        return self._check_pictures("body_vi")

    def clean_body_en(self):
        return self._check_pictures("body_en")

    def _check_pictures(self, name):
        text = self.cleaned_data.get(name, "")
        problems = library.check_images_in_text(text)
        if problems:
            raise forms.ValidationError(problems)
        return text

    def clean(self):
        data = super().clean()
        if data.get("image") and not data.get("image_alt", "").strip():
            self.add_error("image_alt", _("Say in a few words what the picture shows, then choose the file again."))
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
def image(request, name):
    """A library picture, served by the app itself (one query). The name is random and never reused, so the
    response may be cached for a long time; the sandbox and nosniff keep it a picture and nothing else."""
    record = get_object_or_404(ArticleImage.objects.only("file", "content_type"), name=name)
    response = FileResponse(record.file.open("rb"), content_type=record.content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@staff_required(EDIT_PERMISSION)
def manage(request):
    articles = Article.objects.select_related("reviewed_by").order_by("situation", "sort_order", "slug")
    return render(request, "hotline/library/manage.html", {"articles": articles})


def _edit(request, article):
    form = ArticleForm(request.POST or None, request.FILES or None, instance=article)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            saved = library.save_article(
                article=article,
                data=form.cleaned_data,
                by=request.user,
                reviewed=form.cleaned_data["reviewed"],
                note=form.cleaned_data["note"],
                image=form.cleaned_data["image"],
                image_alt=form.cleaned_data["image_alt"],
            )
            if form.cleaned_data["image"]:
                messages.success(
                    request,
                    _("The article was saved with the picture, at the end of the Vietnamese text: move it if needed."),
                )
            else:
                messages.success(request, _("The article was saved."))
            return redirect("library_edit", pk=saved.pk)
        status = 400
        if request.FILES.get("image") and "image" not in form.errors:
            # A browser never keeps a chosen file across a page: say so beside the field, the text stays as typed.
            form.add_error("image", _("The picture was not saved because of the problems above: choose it again."))
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
