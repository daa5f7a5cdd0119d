/** The media types VideoCMS's front end posts its fields as, beside JSON. */
export const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data'];
