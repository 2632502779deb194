"""Any change to what a marker shows starts the cached marker lists afresh."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .models import OpeningHours, Station
from .selectors import markers_invalidate


@receiver(post_save, sender=Station, dispatch_uid="stations.markers.station_saved")
@receiver(post_delete, sender=Station, dispatch_uid="stations.markers.station_deleted")
@receiver(post_save, sender=OpeningHours, dispatch_uid="stations.markers.hours_saved")
@receiver(post_delete, sender=OpeningHours, dispatch_uid="stations.markers.hours_deleted")
@receiver(m2m_changed, sender=Station.amenities.through, dispatch_uid="stations.markers.amenities_changed")
def _station_changed(sender, **kwargs):
    markers_invalidate()
