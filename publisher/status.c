/*
 * The six statuses of a question and the five of a dialogue: their names in
 * the content and the open data, the spec's fixed labels, and the folder
 * of their list pages: trang-thai/<status>/ with the status's own name, the
 * one the open data uses, so an address can be built from the data.
 */
#include <string.h>

#include "model.h"

static const struct {
	const char *name;
	const char *label;
	const char *slug;
	bool open;
} statuses[CK_ST_COUNT] = {
    [CK_ST_RECEIVED] = {"received", "Đã tiếp nhận", "received", true},
    [CK_ST_IN_PROGRESS] = {"in_progress", "Đang giải quyết", "in_progress",
                           true},
    [CK_ST_ESCALATED] = {"escalated", "Đã chuyển cấp có thẩm quyền",
                         "escalated", true},
    [CK_ST_ANSWERED] = {"answered", "Đã trả lời", "answered", false},
    [CK_ST_RESOLVED] = {"resolved", "Đã giải quyết", "resolved", false},
    [CK_ST_DECLINED] = {"declined", "Không có cơ sở giải quyết",
                        "declined", false},
};

static bool
valid(ck_status s)
{
	return (unsigned)s < CK_ST_COUNT;
}

const char *
ck_status_name(ck_status s)
{
	return valid(s) ? statuses[s].name : "";
}

const char *
ck_status_label(ck_status s)
{
	return valid(s) ? statuses[s].label : "";
}

const char *
ck_status_slug(ck_status s)
{
	return valid(s) ? statuses[s].slug : "";
}

bool
ck_status_open(ck_status s)
{
	return valid(s) && statuses[s].open;
}

int
ck_status_parse(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < CK_ST_COUNT; i++)
		if (strcmp(name, statuses[i].name) == 0)
			return i;
	return -1;
}

const char *
ck_dialogue_status_name(ck_dialogue_status s)
{
	switch (s) {
	case CK_DLG_PLANNED:
		return "planned";
	case CK_DLG_HELD:
		return "held";
	case CK_DLG_CONCLUDED:
		return "concluded";
	case CK_DLG_CANCELLED:
		return "cancelled";
	case CK_DLG_POSTPONED:
		return "postponed";
	}
	return "";
}
