from django.contrib import admin

from sessions.models import Event, PriceTier, ProgrammeItem, ThemeSession


class ThemeSessionInline(admin.TabularInline):
    model = ThemeSession
    extra = 0
    fields = ["order", "title", "description", "capacity"]


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0


class PriceTierInline(admin.TabularInline):
    model = PriceTier
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "venue_city", "registration_deadline", "is_published"]
    list_filter = ["is_published", "date"]
    search_fields = ["title", "theme", "venue_name", "venue_city"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "date"
    inlines = [ThemeSessionInline, ProgrammeItemInline, PriceTierInline]


@admin.register(ThemeSession)
class ThemeSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "event", "capacity", "order"]
    list_filter = ["event"]
    list_select_related = ["event"]
    search_fields = ["title", "event__title"]
