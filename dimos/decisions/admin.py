from django.contrib import admin

from dimos.decisions.models import Body, DecisionType, ThematicCategory


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "diavgeia_unit_id", "position"]
    prepopulated_fields = {"code": ["name_latin"]}


@admin.register(DecisionType)
class DecisionTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]


@admin.register(ThematicCategory)
class ThematicCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]
