/* calendar_ics_out.c - writing timed events as an iCalendar file (RFC 5545), e.g. the shifts of
 * an on-call roster (calendar.h sd_ics_write). */
#include "calendar.h"

#include "error.h"

#include <libical/ical.h>
#include <stdlib.h>
#include <string.h>

static struct icaltimetype s_utc(int64_t ms)
{
    return icaltime_from_timet_with_zone((time_t)(ms / 1000), 0, icaltimezone_get_utc_timezone());
}

int sd_ics_write(const char *name, const sd_ics_event_t *events, size_t n, int64_t stamp,
                 char **out)
{
    *out = NULL;
    icalcomponent *cal =
        icalcomponent_vanew(ICAL_VCALENDAR_COMPONENT, icalproperty_new_version("2.0"),
                            icalproperty_new_prodid("-//sundesk//on-call roster//EN"),
                            icalproperty_new_calscale("GREGORIAN"),
                            icalproperty_new_method(ICAL_METHOD_PUBLISH), (void *)0);
    if (!cal)
        return SD_ENOMEM;
    icalproperty *calname = icalproperty_new_x(name ? name : "sundesk");
    if (calname) {
        icalproperty_set_x_name(calname, "X-WR-CALNAME");
        icalcomponent_add_property(cal, calname);
    }
    for (size_t i = 0; i < n; i++) {
        const sd_ics_event_t *e = &events[i];
        icalcomponent *ev = icalcomponent_vanew(
            ICAL_VEVENT_COMPONENT, icalproperty_new_uid(e->uid),
            icalproperty_new_dtstamp(s_utc(stamp)), icalproperty_new_dtstart(s_utc(e->start)),
            icalproperty_new_dtend(s_utc(e->end)), icalproperty_new_summary(e->summary), (void *)0);
        if (!ev) {
            icalcomponent_free(cal);
            return SD_ENOMEM;
        }
        if (e->description && e->description[0])
            icalcomponent_add_property(ev, icalproperty_new_description(e->description));
        icalcomponent_add_component(cal, ev);
    }
    char *text = icalcomponent_as_ical_string_r(cal);
    icalcomponent_free(cal);
    if (!text)
        return SD_ENOMEM;
    *out = text;
    return 0;
}
