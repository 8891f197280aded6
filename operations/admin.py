"""The admin's view of the task queue's workers (the queue itself: django-rq's pages with RQ,
the task results with the database queue, both linked from the admin's index)."""

from django.contrib import admin

from .models import Worker


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ("name", "backend", "started_at", "seen_at", "problem")
    readonly_fields = ("name", "backend", "started_at", "seen_at", "problem")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
