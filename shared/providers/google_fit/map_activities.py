"""Google Fit activity types (the integer enum of sessions and activity segments) -> Personicle event types.

Values: https://developers.google.com/fit/rest/v1/reference/activity-types (docs/providers/google_fit.md
4.2 lists the common ones). Types with a Personicle exercise type map to it; every other fitness
activity maps to the generic exercise type named after the activity. 72 is sleep, 109-112 are
sleep stages some older apps wrote as activities, and a few values are movement states, not
workouts (in vehicle, still, unknown, tilting, elevator, escalator).
"""

from __future__ import annotations

from shared.contract.records import EVENT_PREFIX

EXERCISE_TYPE = EVENT_PREFIX + "exercise"
SLEEP = 72
NOT_EXERCISE = frozenset({0, 3, 4, 5, 117, 118})

ACTIVITY_NAMES: dict[int, str] = {
    0: "In vehicle", 1: "Biking", 2: "On foot", 3: "Still (not moving)", 4: "Unknown (unable to detect activity)",
    5: "Tilting (sudden device gravity change)", 7: "Walking", 8: "Running", 9: "Aerobics", 10: "Badminton",
    11: "Baseball", 12: "Basketball", 13: "Biathlon", 14: "Handbiking", 15: "Mountain biking", 16: "Road biking",
    17: "Spinning", 18: "Stationary biking", 19: "Utility biking", 20: "Boxing", 21: "Calisthenics",
    22: "Circuit training", 23: "Cricket", 24: "Dancing", 25: "Elliptical", 26: "Fencing",
    27: "Football (American)", 28: "Football (Australian)", 29: "Football (Soccer)", 30: "Frisbee",
    31: "Gardening", 32: "Golf", 33: "Gymnastics", 34: "Handball", 35: "Hiking", 36: "Hockey",
    37: "Horseback riding", 38: "Housework", 39: "Jumping rope", 40: "Kayaking", 41: "Kettlebell training",
    42: "Kickboxing", 43: "Kitesurfing", 44: "Martial arts", 45: "Meditation", 46: "Mixed martial arts",
    47: "P90X exercises", 48: "Paragliding", 49: "Pilates", 50: "Polo", 51: "Racquetball", 52: "Rock climbing",
    53: "Rowing", 54: "Rowing machine", 55: "Rugby", 56: "Jogging", 57: "Running on sand",
    58: "Running (treadmill)", 59: "Sailing", 60: "Scuba diving", 61: "Skateboarding", 62: "Skating",
    63: "Cross skating", 64: "Inline skating (rollerblading)", 65: "Skiing", 66: "Back-country skiing",
    67: "Cross-country skiing", 68: "Downhill skiing", 69: "Kite skiing", 70: "Roller skiing", 71: "Sledding",
    72: "Sleeping", 73: "Snowboarding", 74: "Snowmobile", 75: "Snowshoeing", 76: "Squash", 77: "Stair climbing",
    78: "Stair-climbing machine", 79: "Stand-up paddleboarding", 80: "Strength training", 81: "Surfing",
    82: "Swimming", 83: "Swimming (swimming pool)", 84: "Swimming (open water)", 85: "Table tennis (ping pong)",
    86: "Team sports", 87: "Tennis", 88: "Treadmill (walking or running)", 89: "Volleyball",
    90: "Volleyball (beach)", 91: "Volleyball (indoor)", 92: "Wakeboarding", 93: "Walking (fitness)",
    94: "Nordic walking", 95: "Walking (treadmill)", 96: "Waterpolo", 97: "Weightlifting", 98: "Wheelchair",
    99: "Windsurfing", 100: "Yoga", 101: "Zumba", 102: "Diving", 103: "Ergometer", 104: "Ice skating",
    105: "Indoor skating", 106: "Curling", 108: "Other (unclassified fitness activity)", 109: "Light sleep",
    110: "Deep sleep", 111: "REM sleep", 112: "Awake (during sleep cycle)", 113: "Crossfit", 114: "HIIT",
    115: "Interval Training", 116: "Walking (stroller)", 117: "Elevator", 118: "Escalator", 119: "Archery",
    120: "Softball", 122: "Guided Breathing",
}

_KINDS: dict[str, tuple[str, tuple[int, ...]]] = {
    "running": ("Running", (8, 56, 57, 58)),
    "walking": ("Walking", (7, 93, 94, 95, 116)),
    "hiking": ("Hiking", (35,)),
    "cycling": ("Cycling", (1, 14, 15, 16, 17, 18, 19)),
    "swimming": ("Swimming", (82, 83, 84)),
    "strength_training": ("Strength training", (80, 21, 22, 41)),
    "weightlifting": ("Weightlifting", (97,)),
    "yoga": ("Yoga", (100,)),
    "pilates": ("Pilates", (49,)),
    "elliptical": ("Elliptical", (25,)),
    "rowing": ("Rowing", (53, 54)),
    "hiit": ("HIIT", (114, 115)),
    "dancing": ("Dancing", (24, 101)),
    "tennis": ("Tennis", (87,)),
    "soccer": ("Soccer", (29,)),
    "basketball": ("Basketball", (12,)),
    "golf": ("Golf", (32,)),
    "skiing": ("Skiing", (65, 66, 67, 68)),
    "stair_climbing": ("Stair climbing", (77, 78)),
    "meditation": ("Meditation", (45,)),
    "breathing": ("Breathing", (122,)),
}
EXERCISE_KINDS: dict[int, tuple[str, str]] = {
    value: (f"{EXERCISE_TYPE}.{kind}", name) for kind, (name, values) in _KINDS.items() for value in values}

# sleep.segment `sleep_segment_type` (4.2); 0 is unspecified and not emitted.
SLEEP_STAGES: dict[int, tuple[str, str]] = {
    1: (EVENT_PREFIX + "sleep.stage.awake", "Awake"),
    2: (EVENT_PREFIX + "sleep.stage.asleep", "Asleep"),
    3: (EVENT_PREFIX + "sleep.stage.out_of_bed", "Out of bed"),
    4: (EVENT_PREFIX + "sleep.stage.light", "Light sleep"),
    5: (EVENT_PREFIX + "sleep.stage.deep", "Deep sleep"),
    6: (EVENT_PREFIX + "sleep.stage.rem", "REM sleep"),
}
# Activity types 109-112: the same stages written as activities.
STAGE_ACTIVITIES: dict[int, int] = {109: 4, 110: 5, 111: 6, 112: 1}


def activity_name(activity: int) -> str:
    """Return the activity's display name (`Activity <n>` for values the enum does not list)."""
    return ACTIVITY_NAMES.get(activity, f"Activity {activity}")


def exercise_kind(activity: int) -> tuple[str, str]:
    """Return (event type, event name) of a workout activity type."""
    return EXERCISE_KINDS.get(activity, (EXERCISE_TYPE, activity_name(activity)))
